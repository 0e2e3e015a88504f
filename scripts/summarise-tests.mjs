// Adds up the vitest and Playwright JSON reports into the suite's closing line.
import fs from "node:fs";
import path from "node:path";

const [dir, failedStepsArg] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
  if (!file.endsWith(".json") || file.startsWith("openapi-")) continue;
  const report = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
  if (typeof report.numPassedTests === "number") {
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  } else if (report.stats) {
    passed += report.stats.expected + report.stats.flaky;
    failed += report.stats.unexpected;
    skipped += report.stats.skipped;
  }
}
// Answers the API tests checked against the served OpenAPI document, per store.
for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
  if (!file.startsWith("contract-")) continue;
  const lines = fs
    .readFileSync(path.join(dir, file), "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const answers = lines.reduce((n, l) => n + l.responses, 0);
  console.log(
    `${file.replace(/^contract-|\.jsonl$/g, "")}: ${answers} answers checked against the OpenAPI document (a mismatch fails the test that received it)`,
  );
}
// A step that failed without a report (build, typecheck, workflow, bench) counts as one failure.
const failedSteps = Number(failedStepsArg ?? 0);
console.log(
  `\nsuite: ${passed} passed, ${Math.max(failed, failed === 0 ? failedSteps : failed)} failed${skipped ? `, ${skipped} skipped` : ""}`,
);
