/**
 * Outcomes that agree (issue 14.7): an activity recorded through the API reports the failed items
 * it recorded as object errors (totalObjectErrors, errors by type), and its status never says
 * less than its items and error message do, for every combination of items with or without
 * errors × counters given or not × error message given or not × status given or derived.
 */
import { describe, expect, it } from "vitest";
import { createRun, expectError, get, post, unique } from "./helpers";

type Status = "Complete" | "CompleteWithWarning" | "CompleteWithError" | "FailedWithError";
const SEVERITY: Status[] = ["Complete", "CompleteWithWarning", "CompleteWithError", "FailedWithError"];

const item = (sequence: number, errorType: string | null) => ({
  sequence,
  externalIdValue: unique(`obj-${sequence}`),
  displayName: `Object ${sequence}`,
  connectedSystemObjectType: "user",
  objectChangeType: "Update",
  errorType,
  errorMessage: errorType
    ? `HTTP 403 Forbidden: Operation against sys_user is not allowed by ACL (write, sys_user.title)`
    : null,
});

interface Case {
  failedItems: boolean;
  counters: boolean;
  errorMessage: boolean;
  status: Status | undefined;
}
const cases: Case[] = [];
for (const failedItems of [true, false])
  for (const counters of [true, false])
    for (const errorMessage of [true, false])
      for (const status of [undefined, ...SEVERITY]) cases.push({ failedItems, counters, errorMessage, status });

/** What the rules say: derived from the facts; a given status at least CompleteWithError with errors. */
function expected(c: Case): { status: Status } | { refused: true } {
  const errors = c.failedItems;
  const derived: Status = c.errorMessage ? "FailedWithError" : errors ? "CompleteWithError" : "Complete";
  if (!c.status) return { status: derived };
  const least: Status = c.errorMessage || errors ? "CompleteWithError" : "Complete";
  return SEVERITY.indexOf(c.status) < SEVERITY.indexOf(least) ? { refused: true } : { status: c.status };
}

const label = (c: Case) =>
  `${c.failedItems ? "2 failed items" : "no failed item"}, ${c.counters ? "counters saying 0 errors" : "no counters"}, ` +
  `${c.errorMessage ? "an error message" : "no error message"}, ${c.status ?? "status derived"}`;

describe("a recorded run's status, counters and items agree", () => {
  it("counts failed items as object errors while the run is still going, whatever the progress reports say", async () => {
    const run = await createRun(unique("live-errors"));
    expect(
      (await post(`/activities/${run.id}/items`, { items: [item(0, "DuplicateObject"), item(1, null)] })).status,
    ).toBe(200);
    expect((await get(`/activities/${run.id}`)).body.totalObjectErrors).toBe(1);
    expect(
      (await post(`/activities/${run.id}/progress`, { counters: { totalObjectErrors: 0, totalCsoUpdates: 1 } })).status,
    ).toBe(200);
    const a = (await get(`/activities/${run.id}`)).body;
    expect(a.totalObjectErrors).toBe(1);
    expect(a.counters.totalCsoUpdates).toBe(1);
    await post(`/activities/${run.id}/complete`, {});
  });

  for (const c of cases) {
    it(label(c), async () => {
      const run = await createRun(unique("outcome"));
      const items = c.failedItems
        ? [item(0, "ConnectorConfigurationError"), item(1, "DuplicateObject"), item(2, null)]
        : [item(0, null), item(1, null)];
      expect((await post(`/activities/${run.id}/items`, { items })).status).toBe(200);
      const body: Record<string, unknown> = {};
      if (c.counters) body.counters = { totalObjectErrors: 0, totalObjectsProcessed: items.length };
      if (c.errorMessage) body.errorMessage = "The connector lost its session";
      if (c.status) body.status = c.status;
      const r = await post(`/activities/${run.id}/complete`, body);
      const want = expected(c);
      const errors = c.failedItems ? 2 : 0;
      if ("refused" in want) {
        expectError(r, 409, "CONFLICT");
        expect(r.body.message).toContain(c.status);
        expect(r.body.message).toContain(c.failedItems ? "2 object errors" : "error message");
        const still = (await get(`/activities/${run.id}`)).body;
        expect(still.status).toBe("InProgress");
        expect(still.totalObjectErrors).toBe(errors);
        await post(`/activities/${run.id}/complete`, {});
        return;
      }
      expect(r.status, r.text).toBe(200);
      expect(r.body.status).toBe(want.status);
      const a = (await get(`/activities/${run.id}`)).body;
      expect(a.status).toBe(want.status);
      expect(a.totalObjectErrors).toBe(errors);
      expect(a.errorTypeCounts).toEqual(c.failedItems ? { ConnectorConfigurationError: 1, DuplicateObject: 1 } : {});
      if (c.errorMessage) expect(a.errorMessage).toBe("The connector lost its session");
      // The list says the same as the activity.
      const listed = (await get(`/activities?search=${encodeURIComponent(run.name)}`)).body.items[0];
      expect([listed.status, listed.totalObjectErrors]).toEqual([want.status, errors]);
      if (c.failedItems) {
        expect(["Complete", "CompleteWithWarning"]).not.toContain(a.status);
        const stats = (await get(`/activities/${run.id}/stats`)).body;
        expect(stats.totalObjectErrors).toBe(2);
      }
    });
  }
});
