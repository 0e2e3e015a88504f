/**
 * Refreshes lib/api/examples.ts, the response examples of the OpenAPI document, from a running
 * server with the demo engine (autorun off, so the capture's own runs are the only live ones):
 *
 *   SYNCWATCH_ENGINE_AUTORUN=false SYNCWATCH_ADMIN_API_KEY=<key> npm start   # then, once the history is in:
 *   BASE_URL=http://localhost:3000 API_KEY=<key> node scripts/capture-examples.mjs
 *
 * Arrays are cut to two entries so the document stays readable; tests/unit/contract.test.ts checks
 * every example against its endpoint's schema.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";

const BASE = `${process.env.BASE_URL ?? "http://localhost:3000"}/api/v1`;
const HEADERS = { "X-Api-Key": process.env.API_KEY ?? "", "Content-Type": "application/json" };
const OUT = "lib/api/examples.ts";
const examples = {};

async function call(method, path, body) {
  const r = await fetch(BASE + path, { method, headers: HEADERS, body: body ? JSON.stringify(body) : undefined });
  const json = await r.json();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}
const get = (path) => call("GET", path);
const keep = (id, value) => (examples[id] = value);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const systems = keep("listConnectedSystems", await get("/connected-systems"));
const schedules = keep("listSchedules", await get("/schedules"));
const directory = systems.items.find((s) => s.kind === "Directory") ?? systems.items[0];
const profile = directory.runProfiles.find((p) => p.runType === "FullSynchronisation") ?? directory.runProfiles[0];
const delta = schedules.items[0];

const execution = keep("executeSchedule", await call("POST", `/schedules/${delta.id}/execute`, {}));
keep(
  "executeRunProfile",
  await call("POST", `/connected-systems/${directory.id}/run-profiles/${profile.id}/execute`, {}),
);
await sleep(2500);
keep("getOperations", await get("/operations"));
keep("listActiveScheduleExecutions", await get("/schedule-executions/active"));
keep("getScheduleExecution", await get(`/schedule-executions/${execution.activityId}`));
const steps = keep("listActivityChildren", await get(`/activities/${execution.activityId}/children`));
const running = steps.items.find((s) => s.status === "InProgress" && s.started);
if (running) {
  keep("getActivitySnapshot", await get(`/activities/${running.id}/snapshot`));
  keep("getActivityProgress", await get(`/activities/${running.id}/progress`));
}
for (let i = 0; i < 300 && (await get(`/activities/${execution.activityId}`)).status === "InProgress"; i++)
  await sleep(1000);
keep("getActivity", await get(`/activities/${execution.activityId}`));
keep("getActivityTree", await get(`/activities/${execution.activityId}/tree`));
keep("listScheduleExecutions", await get("/schedule-executions?pageSize=2"));
keep("listActivities", await get("/activities?pageSize=2"));

const failing = (await get("/activities?pageSize=1&hasErrors=true&targetType=ConnectedSystemRunProfile")).items[0];
if (failing) {
  keep("getActivityStats", await get(`/activities/${failing.id}/stats`));
  keep("getActivityComparison", await get(`/activities/${failing.id}/comparison`));
  keep("listProgressSamples", await get(`/activities/${failing.id}/progress/samples?maxPoints=3`));
  const items = keep("listExecutionItems", await get(`/activities/${failing.id}/items?pageSize=2&errorType=any`));
  if (items.items[0]) keep("getExecutionItem", await get(`/activities/${failing.id}/items/${items.items[0].id}`));
}
keep("listFailureGroups", await get("/failures?pageSize=2"));
const objects = keep("listFailureObjects", await get("/failures/objects?pageSize=2"));
if (objects.items[0]) keep("getFailureObject", await get(`/failures/objects/${objects.items[0].id}`));
keep("getHealth", await get("/health"));
keep("listApiKeys", await get("/api-keys"));

const trim = (v) =>
  Array.isArray(v)
    ? v.slice(0, 2).map(trim)
    : v && typeof v === "object"
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, trim(x)]))
      : v;
const sorted = Object.fromEntries(
  Object.keys(examples)
    .sort()
    .map((k) => [k, trim(examples[k])]),
);
fs.writeFileSync(
  OUT,
  `/**
 * Response examples of the OpenAPI document, by endpoint: answers of the demo engine captured by
 * scripts/capture-examples.mjs (arrays cut to two entries). Checked against the schemas in the tests.
 */
import type { EndpointId } from "./endpoints";

export const RESPONSE_EXAMPLES: Partial<Record<EndpointId, unknown>> = ${JSON.stringify(sorted, null, 2)};
`,
);
execFileSync("npx", ["prettier", "--write", OUT], { stdio: "inherit" });
console.log(`${OUT}: ${Object.keys(sorted).length} examples`);
