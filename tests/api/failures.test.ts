/**
 * Failures across runs: each failed object is tracked per connected system from run to run
 * (first seen, consecutive failing runs, last error, recovery), its items are marked New or
 * Recurring, runs compare with the previous run of their profile, and the failures routes group,
 * list, trace and export them. Also: the steps a filter matches inside schedules, saved views.
 */
import { describe, expect, it } from "vitest";
import { ADMIN_KEY, api, expectError, get, post, unique } from "./helpers";

interface System {
  id: number;
  name: string;
  runProfiles: { id: number; runType: string }[];
}

async function fresh(name: string) {
  // A connected system of the demo configuration; objects get unique external ids per test.
  const systems: System[] = (await get("/connected-systems")).body.items;
  return systems.find((s) => s.name === name)!;
}

async function run(cs: System, runType: string, items: object[], complete: object = {}, step: object = {}) {
  const rp = cs.runProfiles.find((r) => r.runType === runType)!;
  const a = await post("/activities", {
    name: unique(runType),
    targetType: "ConnectedSystemRunProfile",
    connectedSystemId: cs.id,
    runProfileId: rp.id,
    ...step,
  });
  expect(a.status, a.text).toBe(201);
  if (items.length) {
    const r = await post(`/activities/${a.body.id}/items`, { items });
    expect(r.status, r.text).toBe(200);
  }
  const errors = items.filter((i) => (i as { errorType?: string }).errorType).length;
  const c = await post(`/activities/${a.body.id}/complete`, { counters: { totalObjectErrors: errors }, ...complete });
  expect(c.status, c.text).toBe(200);
  return c.body;
}

const failed = (
  sequence: number,
  ext: string,
  errorType = "MissingExternalIdAttributeValue",
  message = "no employeeId",
) => ({
  sequence,
  externalIdValue: ext,
  displayName: `Person ${ext}`,
  connectedSystemObjectType: "person",
  objectChangeType: "Add",
  errorType,
  errorMessage: message,
});
const ok = (sequence: number, ext: string) => ({
  sequence,
  externalIdValue: ext,
  displayName: `Person ${ext}`,
  connectedSystemObjectType: "person",
  objectChangeType: "Update",
  outcomes: [{ type: "AttributeFlow", count: 2 }],
});

async function failureOf(csId: number, ext: string) {
  const r = await get(
    `/failures/objects?connectedSystemId=${csId}&search=${encodeURIComponent(ext)}&state=Open,Recovered&pageSize=5`,
  );
  expect(r.status, r.text).toBe(200);
  return r.body.items.find((f: { externalIdValue: string }) => f.externalIdValue === ext);
}

describe("failures across runs", () => {
  it("a failure is New, then Recurring in the next run of the profile; a delta run that processes it fine recovers it", async () => {
    const hr = await fresh("Workday HR");
    const x = unique("x");
    const y = unique("y");
    const r1 = await run(hr, "DeltaImport", [failed(0, x), failed(1, y, "DuplicateObject", "twice")]);
    const items1 = (await get(`/activities/${r1.id}/items`)).body;
    expect(items1.items.map((i: { recurrence: string }) => i.recurrence)).toEqual(["New", "New"]);
    expect(items1.facets.recurrence).toEqual({ New: 2 });
    expect(await failureOf(hr.id, x)).toMatchObject({
      state: "Open",
      consecutiveRuns: 1,
      totalFailures: 1,
      lastErrorType: "MissingExternalIdAttributeValue",
    });

    const r2 = await run(hr, "DeltaImport", [failed(0, x), ok(1, y)]);
    expect(r2.previousRunId).toBe(r1.id);
    const items2 = (await get(`/activities/${r2.id}/items?recurrence=Recurring`)).body;
    expect(items2.items.map((i: { externalIdValue: string }) => i.externalIdValue)).toEqual([x]);
    expect(await failureOf(hr.id, x)).toMatchObject({
      state: "Open",
      consecutiveRuns: 2,
      totalFailures: 2,
      lastActivityId: r2.id,
    });
    const fy = await failureOf(hr.id, y);
    expect(fy).toMatchObject({ state: "Recovered", recoveredActivityId: r2.id, consecutiveRuns: 0 });

    const history = (await get(`/failures/objects/${fy.id}`)).body.history;
    expect(history.map((h: { kind: string; activityId: string }) => [h.kind, h.activityId])).toEqual([
      ["Recovered", r2.id],
      ["Failed", r1.id],
    ]);
    expect(history[1]).toMatchObject({ errorType: "DuplicateObject", errorMessage: "twice", activityExists: true });

    // The item detail links the object's record and its other runs.
    const itemX = items2.items[0];
    const detail = (await get(`/activities/${r2.id}/items/${itemX.id}`)).body;
    expect(detail.failure).toMatchObject({ state: "Open", consecutiveRuns: 2 });
    expect(detail.otherRuns.map((o: { activityId: string }) => o.activityId)).toEqual([r1.id]);

    // And the run compares with the previous one.
    const cmp = (await get(`/activities/${r2.id}/comparison`)).body;
    expect(cmp.previous.id).toBe(r1.id);
    expect(cmp.metrics.find((m: { metric: string }) => m.metric === "errors")).toMatchObject({
      current: 1,
      previous: 2,
      delta: -1,
      deltaPercent: -50,
    });
    expect(cmp.recurrence).toEqual({ new: 0, recurring: 1 });
    expect(cmp.errorTypes).toEqual(
      expect.arrayContaining([
        { errorType: "MissingExternalIdAttributeValue", current: 1, previous: 1, delta: 0 },
        { errorType: "DuplicateObject", current: 0, previous: 1, delta: -1 },
      ]),
    );
  });

  it("objects without an external id are keyed by connector-space id, else by name, and recover the same way", async () => {
    const hr = await fresh("Workday HR");
    const cso = unique("cso");
    const name = unique("Nameless");
    const byCso = { connectedSystemObjectId: cso, displayName: `CSO ${cso}` };
    const byName = { displayName: name };
    const base = { connectedSystemObjectType: "person", objectChangeType: "Add" };
    await run(hr, "DeltaImport", [
      { sequence: 0, ...base, ...byCso, errorType: "DuplicateObject", errorMessage: "twice" },
      { sequence: 1, ...base, ...byName, errorType: "DuplicateObject", errorMessage: "twice" },
    ]);
    const open = async (search: string) =>
      (
        await get(
          `/failures/objects?connectedSystemId=${hr.id}&search=${encodeURIComponent(search)}&state=Open,Recovered`,
        )
      ).body.items[0];
    expect(await open(cso)).toMatchObject({ state: "Open" });
    expect(await open(name)).toMatchObject({ state: "Open" });
    const clean = await run(hr, "DeltaImport", [
      { sequence: 0, ...base, ...byCso, objectChangeType: "Update" },
      { sequence: 1, ...base, ...byName, objectChangeType: "Update" },
    ]);
    expect(await open(cso)).toMatchObject({ state: "Recovered", recoveredActivityId: clean.id });
    expect(await open(name)).toMatchObject({ state: "Recovered", recoveredActivityId: clean.id });
  });

  it("a full run that does not fail an object recovers it, even without an item for it", async () => {
    const payroll = await fresh("Payroll (legacy)");
    const z = unique("z");
    await run(payroll, "FullImport", [failed(0, z, "AmbiguousMatch", "two matches")]);
    expect((await failureOf(payroll.id, z)).state).toBe("Open");
    const clean = await run(payroll, "FullImport", []);
    expect(await failureOf(payroll.id, z)).toMatchObject({ state: "Recovered", recoveredActivityId: clean.id });
    // A failed run settles nothing.
    const w = unique("w");
    await run(payroll, "FullImport", [failed(0, w)]);
    await run(payroll, "FullImport", [], { status: "FailedWithError", errorMessage: "connector down" });
    expect((await failureOf(payroll.id, w)).state).toBe("Open");
  });

  it("without a state filter, the objects, the groups and the CSV all mean open failures", async () => {
    const payroll = await fresh("Payroll (legacy)");
    const tag = unique("st");
    await run(payroll, "FullImport", [
      failed(0, `${tag}-a`, "AmbiguousMatch"),
      failed(1, `${tag}-b`, "AmbiguousMatch"),
    ]);
    // A full run that fails only -b recovers -a.
    await run(payroll, "FullImport", [failed(0, `${tag}-b`, "AmbiguousMatch")]);
    const scope = `connectedSystemId=${payroll.id}&search=${tag}`;
    const names = async (query: string) =>
      (await get(`/failures/objects?${query}`)).body.items.map((o: { externalIdValue: string }) => o.externalIdValue);
    expect(await names(scope)).toEqual([`${tag}-b`]);
    expect(await names(`${scope}&state=Open`)).toEqual([`${tag}-b`]);
    expect((await names(`${scope}&state=Open,Recovered`)).sort()).toEqual([`${tag}-a`, `${tag}-b`]);
    const csv = await api("GET", `/failures.csv?${scope}`);
    expect(csv.text.trim().split("\r\n")).toHaveLength(2);
  });

  it("groups open failures by error type × system × object type with counts and trends; CSV honours the filters", async () => {
    const ad = await fresh("Contoso Active Directory");
    const tag = unique("grp");
    await run(ad, "DeltaImport", [
      failed(0, `${tag}-1`, "UnresolvedReference", "manager unknown"),
      failed(1, `${tag}-2`, "UnresolvedReference", "manager unknown"),
    ]);
    const g = await get(`/failures?connectedSystemId=${ad.id}&errorType=UnresolvedReference`);
    expect(g.status, g.text).toBe(200);
    const group = g.body.items.find((x: { objectType: string }) => x.objectType === "person");
    expect(group).toMatchObject({
      errorType: "UnresolvedReference",
      connectedSystemId: ad.id,
      connectedSystemName: ad.name,
    });
    expect(group.objects).toBeGreaterThanOrEqual(2);
    expect(group.newObjects).toBeGreaterThanOrEqual(2);
    expect(group.failedInRange).toBeGreaterThanOrEqual(2);
    expect(g.body.range.bucket).toBe("day");
    expect(group.trend.length).toBeGreaterThanOrEqual(7);
    expect(group.trend.at(-1).failed).toBeGreaterThanOrEqual(2);
    const hourly = await get(
      `/failures?connectedSystemId=${ad.id}&from=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}`,
    );
    expect(hourly.body.range.bucket).toBe("hour");
    const csv = await api("GET", `/failures.csv?connectedSystemId=${ad.id}&search=${tag}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split("\r\n");
    expect(lines[0]).toContain("lastErrorType");
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).every((l) => l.includes(tag) && l.includes("UnresolvedReference"))).toBe(true);
    expectError(
      await get(`/failures?from=${encodeURIComponent(new Date().toISOString())}&to=2020-01-01T00:00:00Z`),
      400,
      "BAD_REQUEST",
    );
    expectError(await get("/failures?state=Closed"), 400, "BAD_REQUEST");
    expectError(await get("/failures/objects/01234567-89ab-7def-8123-456789abcdef"), 404, "NOT_FOUND");
  });
});

describe("the objects that failed in a run (the morning question)", () => {
  it("are listed by activityId, recovered since or not, however many runs came after; groups and CSV agree", async () => {
    const ad = await fresh("Contoso Active Directory");
    const tag = unique("night");
    const nightly = await run(ad, "Export", [
      failed(0, `${tag}-a`, "ConnectorConfigurationError", "insufficient access rights"),
      failed(1, `${tag}-b`, "DuplicateObject", "entryAlreadyExists"),
      ok(2, `${tag}-c`),
    ]);
    // the delta exports of the night after: -a goes through (it recovers), others fail
    for (let i = 0; i < 4; i++)
      await run(ad, "Export", [ok(0, `${tag}-a`), failed(1, `${tag}-d${i}`, "DuplicateObject", "entryAlreadyExists")]);
    const namesOf = async (runs: string[], query: string) => {
      const r = await get(`/failures/objects?${runs.map((id) => `activityId=${id}&`).join("")}search=${tag}${query}`);
      expect(r.status, r.text).toBe(200);
      return r.body.items.map((o: { externalIdValue: string }) => o.externalIdValue).sort();
    };
    const names = (query: string) => namesOf([nightly.id], query);
    expect(await names("&state=Open,Recovered")).toEqual([`${tag}-a`, `${tag}-b`]);
    expect(await names("")).toEqual([`${tag}-b`]); // open by default: -a recovered since
    expect(await names("&state=Recovered")).toEqual([`${tag}-a`]);

    const groups = await get(`/failures?activityId=${nightly.id}&state=Open,Recovered`);
    expect(groups.status, groups.text).toBe(200);
    const byType = Object.fromEntries(
      groups.body.items.map((g: { errorType: string; objects: number }) => [g.errorType, g.objects]),
    );
    expect(byType).toEqual({ ConnectorConfigurationError: 1, DuplicateObject: 1 });
    const csv = await api("GET", `/failures.csv?activityId=${nightly.id}&state=Open,Recovered`);
    expect(csv.status).toBe(200);
    expect(csv.text.trim().split("\r\n")).toHaveLength(3);

    // a schedule execution's id stands for its steps: the objects that failed in any of them
    const schedules = (await get("/schedules")).body.items;
    const execution = await post("/activities", {
      name: unique("night"),
      targetType: "Schedule",
      scheduleId: schedules[0].id,
    });
    const inStep = { parentActivityId: execution.body.id };
    await run(
      ad,
      "Export",
      [failed(0, `${tag}-s1`, "DuplicateObject", "entryAlreadyExists")],
      {},
      { ...inStep, stepIndex: 1 },
    );
    await run(ad, "Export", [ok(0, `${tag}-s2`), failed(1, `${tag}-s3`)], {}, { ...inStep, stepIndex: 2 });
    expect(await names("")).toEqual([`${tag}-b`]);
    expect(await namesOf([execution.body.id], "")).toEqual([`${tag}-s1`, `${tag}-s3`]);
    expect(await namesOf([execution.body.id, nightly.id], "")).toEqual([`${tag}-b`, `${tag}-s1`, `${tag}-s3`]);
    const executionGroups = await get(`/failures?activityId=${execution.body.id}&search=${tag}`);
    expect(
      Object.fromEntries(
        executionGroups.body.items.map((g: { errorType: string; objects: number }) => [g.errorType, g.objects]),
      ),
    ).toEqual({ DuplicateObject: 1, MissingExternalIdAttributeValue: 1 });

    // a run with no failures, an unknown run: nothing; not a run id: 400 naming the parameter
    const none = await get(`/failures/objects?activityId=01234567-89ab-7def-8123-456789abcdef&state=Open,Recovered`);
    expect(none.body.items).toEqual([]);
    const bad = await get("/failures/objects?activityId=last-night");
    expectError(bad, 400, "BAD_REQUEST");
    expect(bad.text).toContain("activityId");
  });
});

describe("message templates", () => {
  const ACL =
    "Export failed after {number} retries: HTTP 403 Forbidden: Operation against {table} is not allowed by ACL ({op}, {field})";
  const TIMEOUT = "Timeout after {number} seconds waiting for {host}";
  const acl = (table: string, op: string, field: string) =>
    `Export failed after 3 retries: HTTP 403 Forbidden: Operation against ${table} is not allowed by ACL (${op}, ${table}.${field})`;
  const denied = (sequence: number, ext: string, message: string | null) => ({
    ...failed(sequence, ext, "ExportConfirmationFailed"),
    errorMessage: message,
  });

  it("group each group's objects by what their latest message says, values aside; a template lists exactly its objects", async () => {
    const ad = await fresh("Contoso Active Directory");
    const tag = unique("tpl");
    await run(ad, "Export", [
      denied(0, `${tag}-1`, acl("sys_user", "write", "manager")),
      denied(1, `${tag}-2`, acl("sys_user_group", "create", "name")),
      denied(2, `${tag}-3`, acl("cmn_department", "write", "head")),
      denied(3, `${tag}-4`, "Timeout after 30 seconds waiting for dc02.contoso.local"),
      denied(4, `${tag}-5`, null),
    ]);
    // the next export fails -1 with other values of the same message, and -4 with the ACL one
    await run(ad, "Export", [
      denied(0, `${tag}-1`, acl("sys_user", "read", "department")),
      denied(1, `${tag}-4`, acl("sys_user", "write", "title")),
    ]);
    const scope = `connectedSystemId=${ad.id}&errorType=ExportConfirmationFailed&search=${tag}`;
    const g = await get(`/failures?${scope}`);
    expect(g.status, g.text).toBe(200);
    expect(g.body.items).toHaveLength(1);
    const [group] = g.body.items;
    expect(group).toMatchObject({ objects: 5, templateCount: 2 });
    expect(
      group.templates.map((t: { template: string; objects: number; failedInRange: number }) => [
        t.template,
        t.objects,
        t.failedInRange,
      ]),
    ).toEqual([
      [ACL, 4, 5], // -1 twice, -2, -3, and -4's latest (its timeout before is not its message now)
      [null, 1, 1],
    ]);
    for (const t of group.templates) expect(Date.parse(t.firstSeen)).toBeLessThanOrEqual(Date.parse(t.lastSeen));
    expect(group.templates[0].firstSeen < group.templates[0].lastSeen).toBe(true);

    const objects = async (template: string) => {
      const r = await get(`/failures/objects?${scope}&template=${encodeURIComponent(template)}`);
      expect(r.status, r.text).toBe(200);
      return r.body.items.map((o: { externalIdValue: string }) => o.externalIdValue).sort();
    };
    expect(await objects(ACL)).toEqual([`${tag}-1`, `${tag}-2`, `${tag}-3`, `${tag}-4`]);
    expect(await objects("(no template)")).toEqual([`${tag}-5`]);
    expect(await objects(TIMEOUT)).toEqual([]); // -4 no longer fails so
    expect(await objects("Nothing fails like {this}")).toEqual([]);
    const one = (await get(`/failures/objects?${scope}&template=${encodeURIComponent(ACL)}&pageSize=1`)).body;
    expect(one.items[0].lastErrorTemplate).toBe(ACL);

    // the groups and the CSV honour it too
    const only = (await get(`/failures?${scope}&template=${encodeURIComponent(ACL)}`)).body.items;
    expect(
      only.map((x: { objects: number; templates: { template: string }[] }) => [x.objects, x.templates.length]),
    ).toEqual([[4, 1]]);
    const csv = await api("GET", `/failures.csv?${scope}&template=${encodeURIComponent(ACL)}`);
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split("\r\n");
    expect(lines[0]).toContain("lastErrorTemplate");
    expect(lines).toHaveLength(5);

    // too long to be a template: 400 naming the parameter, on every failures route
    const long = await get(`/failures/objects?template=${"x".repeat(501)}`);
    expectError(long, 400, "BAD_REQUEST");
    expect(long.text).toContain("template");
    expectError(await get(`/failures?template=${"x".repeat(501)}`), 400, "BAD_REQUEST");
    expectError(await api("GET", `/failures.csv?template=${"x".repeat(501)}`), 400, "BAD_REQUEST");
  });
});

describe("steps inside schedules", () => {
  it("a filter that matches steps says how many the top-level list leaves out", async () => {
    const schedules = (await get("/schedules")).body.items;
    const parent = await post("/activities", {
      name: unique("steps"),
      targetType: "Schedule",
      scheduleId: schedules[0].id,
    });
    const hr = await fresh("Workday HR");
    const rp = hr.runProfiles[0];
    const step = await post("/activities", {
      name: unique("failing-step"),
      targetType: "ConnectedSystemRunProfile",
      connectedSystemId: hr.id,
      runProfileId: rp.id,
      parentActivityId: parent.body.id,
      stepIndex: 1,
    });
    await post(`/activities/${step.body.id}/complete`, { status: "FailedWithError", errorMessage: "down" });
    await post(`/activities/${parent.body.id}/complete`, {});
    const top = (await get(`/activities?status=FailedWithError&pageSize=100`)).body;
    expect(top.items.map((a: { id: string }) => a.id)).not.toContain(step.body.id);
    expect(top.stepMatches.count).toBeGreaterThanOrEqual(1);
    const all = (await get(`/activities?status=FailedWithError&topLevelOnly=false&pageSize=100`)).body;
    const row = all.items.find((a: { id: string }) => a.id === step.body.id);
    expect(row).toMatchObject({ scheduleExecutionId: parent.body.id, stepIndex: 1, parentActivityId: parent.body.id });
    expect(all.stepMatches).toBeNull();
    expect((await get(`/activities?pageSize=5`)).body.stepMatches).toBeNull();
  });

  it("newerThan counts what arrived after a moment, whatever the page", async () => {
    const moment = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const tag = unique("newer");
    await post("/activities", { name: `${tag}-1`, targetType: "DataGeneration" });
    await post("/activities", { name: `${tag}-2`, targetType: "DataGeneration" });
    const r = await get(`/activities?search=${tag}&page=2&pageSize=1&newerThan=${encodeURIComponent(moment)}`);
    expect(r.body.newerCount).toBe(2);
    expect(r.body.items).toHaveLength(1);
  });
});

describe("saved views", () => {
  it("are saved per key and scope, one default per scope, renamed, deleted", async () => {
    const name = unique("view");
    const created = await post("/saved-views", {
      scope: "Activities",
      name,
      query: "status=FailedWithError&topLevelOnly=false",
      isDefault: true,
    });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get("location")).toBe(`/api/v1/saved-views/${created.body.id}`);
    const second = await post("/saved-views", {
      scope: "Activities",
      name: `${name}-2`,
      query: "hasErrors=true",
      isDefault: true,
    });
    const list = (await get("/saved-views?scope=Activities")).body.items;
    const mine = list.filter((v: { name: string }) => v.name.startsWith(name));
    expect(mine.map((v: { name: string; isDefault: boolean }) => [v.name, v.isDefault])).toEqual([
      [name, false],
      [`${name}-2`, true],
    ]);
    expectError(await post("/saved-views", { scope: "Activities", name, query: "x=1" }), 409, "CONFLICT");
    // The same name in the other scope is another view.
    expect((await post("/saved-views", { scope: "Failures", name, query: "state=Open" })).status).toBe(201);
    const renamed = await api("PATCH", `/saved-views/${second.body.id}`, {
      body: { name: `${name}-renamed`, isDefault: false },
    });
    expect(renamed.body).toMatchObject({ name: `${name}-renamed`, isDefault: false, query: "hasErrors=true" });
    expectError(
      await post("/saved-views", { scope: "Activities", name: "bad", query: "?status=x" }),
      400,
      "BAD_REQUEST",
    );
    // Another key does not see them.
    const other = await post("/api-keys", { name: unique("viewer"), role: "ReadOnly" });
    const theirs = await api("GET", "/saved-views", { key: other.body.secret });
    expect(theirs.body.items).toEqual([]);
    expectError(await api("DELETE", `/saved-views/${created.body.id}`, { key: other.body.secret }), 404, "NOT_FOUND");
    expect((await api("DELETE", `/saved-views/${created.body.id}`, { key: ADMIN_KEY })).status).toBe(204);
    expectError(await api("DELETE", `/saved-views/${created.body.id}`), 404, "NOT_FOUND");
  });
});
