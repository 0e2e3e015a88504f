/** Message templates and the distinctive part of a message (lib/domain/messages.ts). */
import { describe, expect, it } from "vitest";
import { MAX_TEMPLATE_LENGTH, NO_TEMPLATE, messageCore, messageTemplate, templateParts } from "@/lib/domain/messages";

describe("messageTemplate", () => {
  it("names the parts of a ServiceNow ACL refusal, whatever table, operation and field", () => {
    const t = "HTTP 403 Forbidden: Operation against {table} is not allowed by ACL ({op}, {field})";
    expect(
      messageTemplate("HTTP 403 Forbidden: Operation against sys_user is not allowed by ACL (write, sys_user.manager)"),
    ).toBe(t);
    expect(
      messageTemplate(
        "HTTP 403 Forbidden: Operation against cmn_location is not allowed by ACL (read, cmn_location.name)",
      ),
    ).toBe(t);
  });

  it("keeps HTTP and LDAP result codes, which say what kind of failure it is", () => {
    expect(messageTemplate("HTTP 429 Too Many Requests: rate limit exceeded for sys_user, retry after 30 s")).toBe(
      "HTTP 429 Too Many Requests: rate limit exceeded for sys_user, retry after {number} s",
    );
    const ldap68 = (dn: string) =>
      `Export failed after 3 retries: LDAP 68 (entryAlreadyExists): 00002071: UpdErr: DSID-030503A9, problem 6005 (ENTRY_EXISTS), data 0 (${dn})`;
    const a = messageTemplate(ldap68("CN=Jane Smith,OU=Sales,OU=People,OU=Contoso,DC=contoso,DC=local"));
    expect(a).toBe(
      "Export failed after {number} retries: LDAP 68 (entryAlreadyExists): {number}: UpdErr: {id}, problem {number} (ENTRY_EXISTS), data {number} ({dn})",
    );
    expect(messageTemplate(ldap68("CN=Smith\\, John,OU=IT,DC=contoso,DC=local"))).toBe(a);
    expect(messageTemplate(a.replace("LDAP 68", "LDAP 19"))).not.toBe(a);
  });

  it("replaces quoted values, ids, GUIDs, numbers, e-mail addresses, hosts and listed names", () => {
    expect(messageTemplate("Reference attribute 'manager' points to 'E100234', which is not a known worker")).toBe(
      "Reference attribute {value} points to {value}, which is not a known worker",
    );
    expect(
      messageTemplate(
        "Another object with employeeId 'E100234' was already imported (worker WID-0001234); this one (worker WID-0001500) was not imported.",
      ),
    ).toBe(
      "Another object with employeeId {value} was already imported (worker {id}); this one (worker {id}) was not imported.",
    );
    expect(
      messageTemplate(
        "Join rule 'employeeId = employeeId' matched 2 metaverse objects: 0190f0aa-1111-7000-8000-000000000001, 0190f0aa-1111-7000-8000-000000000002.",
      ),
    ).toBe("Join rule {value} matched {number} metaverse objects: {guid}, ….");
    expect(messageTemplate("Join rule matched 3 metaverse objects (Jane Smith; John Smith; Ann O'Neil).")).toBe(
      "Join rule matched {number} metaverse objects ({name}, …).",
    );
    expect(messageTemplate("Mailbox jane.smith@contoso.com is on dc02.contoso.local (10.0.4.17)")).toBe(
      "Mailbox {email} is on {host} ({host})",
    );
    expect(messageTemplate('Value "Sales & Marketing" is longer than 12 characters')).toBe(
      "Value {value} is longer than {number} characters",
    );
    expect(messageTemplate("sys_id 7f3a9c0e5d2b4a1f8e6c3b2a1d0f9e8c not found")).toBe("sys_id {id} not found");
  });

  it("leaves apostrophes inside words and messages without values alone", () => {
    expect(messageTemplate("Object class 'contact' is not part of the connected system's schema (user, group).")).toBe(
      "Object class {value} is not part of the connected system's schema (user, group).",
    );
    expect(messageTemplate("Sequence contains more than one matching element")).toBe(
      "Sequence contains more than one matching element",
    );
    expect(messageTemplate("  two\n spaces  ")).toBe("two spaces");
  });

  it("groups messages that differ only in their values, and only those", () => {
    const messages = [
      "Duplicate entry 'jsmith' for key 'sys_user.user_name'",
      "Duplicate entry 'adoe7' for key 'sys_user.user_name'",
      "Reference attribute 'manager' points to 'E100001', which is not a known worker",
      "Reference attribute 'manager' points to 'E100777', which is not a known worker",
    ];
    expect(new Set(messages.map(messageTemplate)).size).toBe(2);
  });

  it("never gives what stands for no template: a message that reads so is a value", () => {
    expect(messageTemplate(NO_TEMPLATE)).toBe("{value}");
    expect(messageTemplate(` ${NO_TEMPLATE}  `)).toBe("{value}");
  });

  it("is bounded in length", () => {
    const t = messageTemplate("x".repeat(5000));
    expect(t.length).toBe(MAX_TEMPLATE_LENGTH);
    expect(t.endsWith("…")).toBe(true);
  });
});

describe("messageCore", () => {
  it("starts after the wrappers every message of its kind repeats", () => {
    expect(
      messageCore(
        "Export failed after 3 retries: HTTP 403 Forbidden: Operation against sys_user is not allowed by ACL (write, sys_user.manager)",
      ),
    ).toBe("HTTP 403 Forbidden: Operation against sys_user is not allowed by ACL (write, sys_user.manager)");
    expect(messageCore("Attempt 2 of 4 failed, will retry: LDAP 51 (busy): The server is busy")).toBe(
      "LDAP 51 (busy): The server is busy",
    );
    expect(messageCore("System.InvalidOperationException: Sequence contains more than one matching element")).toBe(
      "Sequence contains more than one matching element",
    );
  });

  it("returns the message itself when there is no wrapper, or nothing after it", () => {
    expect(messageCore("The object has no value for its external id attribute")).toBe(
      "The object has no value for its external id attribute",
    );
    expect(messageCore("Export failed after 3 retries: ")).toBe("Export failed after 3 retries:");
  });
});

describe("templateParts", () => {
  it("cuts a template into its text and its placeholders, in order", () => {
    expect(
      templateParts("HTTP 403 Forbidden: Operation against {table} is not allowed by ACL ({op}, {field})"),
    ).toEqual([
      { text: "HTTP 403 Forbidden: Operation against " },
      { placeholder: "table" },
      { text: " is not allowed by ACL (" },
      { placeholder: "op" },
      { text: ", " },
      { placeholder: "field" },
      { text: ")" },
    ]);
    expect(templateParts("{id}")).toEqual([{ placeholder: "id" }]);
    expect(templateParts("No placeholder {here")).toEqual([{ text: "No placeholder {here" }]);
    expect(templateParts("")).toEqual([]);
  });
});
