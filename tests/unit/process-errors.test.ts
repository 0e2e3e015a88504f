/**
 * Errors nothing caught (lib/server/process-errors.ts): logged once, in one line, with the request
 * id when they escaped a request (else an id of their own), never with a driver's statement
 * parameters; the process goes on.
 */
import { describe, expect, it } from "vitest";
import { inRequest } from "@/lib/http/request-context";
import { processErrorListener } from "@/lib/server/process-errors";

/** A driver's error as PGlite and pg attach it: the statement, its parameters, the failing row. */
function driverError() {
  return Object.assign(new Error("could not extend file: No space left on device"), {
    code: "53100",
    query: `INSERT INTO "Activity" (name) VALUES ($1)`,
    params: ["secret-customer-name"],
    detail: "Failing row contains (secret-customer-name).",
  });
}

describe("errors nothing caught", () => {
  it("are logged once, without the statement, its parameters or row values", () => {
    const lines: string[] = [];
    const listener = processErrorListener("unhandledRejection", (l) => lines.push(l));
    const error = driverError();
    listener(error);
    listener(error); // the same error reported again (e.g. by a second listener path)
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[syncwatch\] unhandled rejection \(error [0-9a-f-]{36}\); the server goes on: /);
    expect(lines[0]).toContain("[53100]");
    expect(lines[0]).toContain("No space left on device");
    expect(lines[0]).not.toMatch(/secret|INSERT|Failing row/);
  });

  it("name the request they escaped from", async () => {
    const lines: string[] = [];
    const listener = processErrorListener("uncaughtException", (l) => lines.push(l));
    await inRequest("req-1234", async () => {
      await Promise.resolve();
      listener(new Error("boom"));
    });
    listener("a thrown string");
    expect(lines[0]).toMatch(/^\[syncwatch\] uncaught exception \(request req-1234\); the server goes on: Error: boom/);
    expect(lines[1]).toMatch(/\(error [0-9a-f-]{36}\).*a thrown string$/);
  });
});
