/** Phase 3: page 1 against page 10,000 (or the deepest page there is), by OFFSET and by cursor. */
import { encodeCursor } from "@/lib/repo/paginate";
import { ms, times } from "../report";
import { rawDeep } from "../routes";
import { measure, type LatencySummary } from "../stats";
import type { PhaseContext, PostgresTarget } from "./context";

const PAGE_SIZE = 25;
const DEEP_PAGE = 10_000;

interface DeepResult {
  list: string;
  page: number;
  page1: LatencySummary;
  offsetDeep: LatencySummary;
  cursorDeep: LatencySummary;
  rawPage1: LatencySummary;
  rawOffsetDeep: LatencySummary;
}

export async function deepPhase(ctx: PhaseContext, pg: PostgresTarget): Promise<DeepResult[]> {
  const n = ctx.scale.samplesPerRoute;
  const results: DeepResult[] = [];
  const deepestPage = (rows: number) => Math.max(1, Math.min(DEEP_PAGE, Math.floor((rows - 1) / PAGE_SIZE) + 1));

  // Activities: every level (the top level alone has too few pages), newest first.
  const activities = pg.meta.activities;
  const aPage = deepestPage(activities);
  const [before] = (await pg.sql(
    `SELECT "id", "createdAt" FROM "Activity" ORDER BY "createdAt" DESC, "id" DESC OFFSET $1 LIMIT 1`,
    [(aPage - 1) * PAGE_SIZE - 1],
  )) as { id: string; createdAt: Date }[];
  const aCursor = encodeCursor("activities:created:desc", { value: before.createdAt.toISOString(), tie: before.id });
  results.push({
    list: "activities",
    page: aPage,
    page1: await measure(n, () => pg.api.get(`/api/v1/activities?topLevelOnly=false`)),
    offsetDeep: await measure(n, () => pg.api.get(`/api/v1/activities?topLevelOnly=false&page=${aPage}`)),
    cursorDeep: await measure(n, () => pg.api.get(`/api/v1/activities?topLevelOnly=false&cursor=${aCursor}`)),
    rawPage1: await measure(n, () => rawDeep.activities(pg.sql, 0)),
    rawOffsetDeep: await measure(n, () => rawDeep.activities(pg.sql, (aPage - 1) * PAGE_SIZE)),
  });

  // Items: the largest run, by sequence.
  const run = pg.meta.fixtures.largestRunId;
  const iPage = deepestPage(pg.meta.fixtures.largestRunItems);
  const lastSequenceBefore = (iPage - 1) * PAGE_SIZE - 1;
  const iCursor = encodeCursor(`items:${run}:sequence:asc`, { value: lastSequenceBefore, tie: lastSequenceBefore });
  results.push({
    list: "items (largest run)",
    page: iPage,
    page1: await measure(n, () => pg.api.get(`/api/v1/activities/${run}/items`)),
    offsetDeep: await measure(n, () => pg.api.get(`/api/v1/activities/${run}/items?page=${iPage}`)),
    cursorDeep: await measure(n, () => pg.api.get(`/api/v1/activities/${run}/items?cursor=${iCursor}`)),
    rawPage1: await measure(n, () => rawDeep.items(pg.sql, run, 0)),
    rawOffsetDeep: await measure(n, () => rawDeep.items(pg.sql, run, (iPage - 1) * PAGE_SIZE)),
  });

  for (const r of results) {
    const cursorRatio = r.cursorDeep.p50 / r.page1.p50;
    const offsetRatio = r.offsetDeep.p50 / r.page1.p50;
    ctx.report.check(
      "deep",
      `${r.list}: page ${r.page.toLocaleString("en-GB")} by cursor`,
      `${ms(r.cursorDeep.p50)} vs page 1 ${ms(r.page1.p50)} (p50): ${times(cursorRatio)}`,
      "≤ 1.5× page 1",
      cursorRatio <= 1.5,
    );
    ctx.report.check(
      "deep",
      `${r.list}: page ${r.page.toLocaleString("en-GB")} by OFFSET`,
      `${ms(r.offsetDeep.p50)}: ${times(offsetRatio)}; raw SQL ${ms(r.rawOffsetDeep.p50)} vs ${ms(r.rawPage1.p50)}`,
      "≤ 1.5× page 1",
      offsetRatio <= 1.5,
    );
    ctx.log(
      `  ${r.list}: page 1 ${ms(r.page1.p50)}, page ${r.page} offset ${ms(r.offsetDeep.p50)} cursor ${ms(r.cursorDeep.p50)}`,
    );
  }
  return results;
}
