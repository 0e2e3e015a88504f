/**
 * Phase 7: first-load JS per page from the build's manifests (the root main files plus the
 * client chunks of the page's layouts and page, gzipped), and the time Chromium takes to show a
 * 100-row execution-item grid.
 */
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";
import { launchChromium } from "../browser";
import { ROOT } from "../server";
import { count, ms } from "../report";
import { percentile } from "../stats";
import type { PhaseContext, PostgresTarget } from "./context";

const NEXT = path.join(ROOT, ".next");
const PAGES: { route: string; manifest: string }[] = [
  { route: "/", manifest: "server/app/page_client-reference-manifest.js" },
  { route: "/activities/[id]", manifest: "server/app/activities/[id]/page_client-reference-manifest.js" },
  { route: "/sign-in", manifest: "server/app/sign-in/page_client-reference-manifest.js" },
];
const LIMIT_BYTES = 250 * 1000;
const RENDERS = 6;

function pageChunks(manifestFile: string): string[] {
  const sandbox = { globalThis: {} as Record<string, unknown> };
  vm.runInNewContext(fs.readFileSync(path.join(NEXT, manifestFile), "utf8"), sandbox);
  const manifests = (sandbox.globalThis.__RSC_MANIFEST ?? {}) as Record<
    string,
    { entryJSFiles?: Record<string, string[]> }
  >;
  const files = new Set<string>();
  for (const m of Object.values(manifests))
    for (const [entry, chunks] of Object.entries(m.entryJSFiles ?? {}))
      if (/\/app\/.*(layout|page)$/.test(entry)) chunks.forEach((c) => files.add(c));
  return [...files];
}

export interface FirstLoad {
  route: string;
  files: number;
  gzipBytes: number;
}

export function firstLoadJs(): FirstLoad[] {
  const build = JSON.parse(fs.readFileSync(path.join(NEXT, "build-manifest.json"), "utf8")) as {
    rootMainFiles: string[];
  };
  return PAGES.map(({ route, manifest }) => {
    const files = new Set([...build.rootMainFiles, ...pageChunks(manifest)].filter((f) => f.endsWith(".js")));
    let gzipBytes = 0;
    for (const f of files) gzipBytes += zlib.gzipSync(fs.readFileSync(path.join(NEXT, f))).length;
    return { route, files: files.size, gzipBytes };
  });
}

/** Milliseconds from navigation to 100 rendered item rows, per load (the first is cold). */
async function gridRenderTimes(pg: PostgresTarget): Promise<number[]> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ baseURL: pg.api.base });
    const signIn = await context.request.post("/api/v1/auth/session", { data: { apiKey: pg.api.apiKey } });
    if (!signIn.ok()) throw new Error(`sign-in answered ${signIn.status()}`);
    const page = await context.newPage();
    const times: number[] = [];
    for (let i = 0; i < RENDERS; i++) {
      const t = performance.now();
      await page.goto(`/activities/${pg.meta.fixtures.largestRunId}?i.pageSize=100#items`, { waitUntil: "commit" });
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="item-row"]').length >= 100, undefined, {
        timeout: 60_000,
      });
      times.push(performance.now() - t);
    }
    return times;
  } finally {
    await browser.close();
  }
}

export async function frontendPhase(ctx: PhaseContext, pg: PostgresTarget | null) {
  const bundles = firstLoadJs();
  for (const b of bundles)
    ctx.report.check(
      "frontend",
      `first-load JS ${b.route}`,
      `${count(b.gzipBytes / 1000)} kB gzip (${b.files} files)`,
      "≤ 250 kB",
      b.gzipBytes <= LIMIT_BYTES,
    );
  if (!pg) return { bundles };
  const renders = await gridRenderTimes(pg);
  const warm = [...renders.slice(1)].sort((a, b) => a - b);
  ctx.report.add({
    phase: "frontend",
    measure: "100-row item grid in Chromium",
    value: `median ${ms(percentile(warm, 50))} (cold ${ms(renders[0])})`,
  });
  ctx.log(`  grid renders: ${renders.map((t) => Math.round(t)).join(", ")} ms`);
  return { bundles, gridRenderMs: renders };
}
