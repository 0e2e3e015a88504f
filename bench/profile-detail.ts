/**
 * The detail page's renderer cost per pushed snapshot (issue 15): one Chromium page on the running
 * run of the seeded small store (`npm run bench -- --scale small --phases tabs` seeds it), under the
 * production build, while the run reports progress every 2 s. For each change: the renderer's
 * CPU (CDP Performance.getMetrics: ScriptDuration, TaskDuration, LayoutDuration,
 * RecalcStyleDuration) between the POST and 1.9 s later, and when the progress panel showed it.
 * With `--profile out.cpuprofile` a JS CPU profile of the changes is written too.
 *
 *     npx tsx bench/profile-detail.ts [--changes 10] [--profile /tmp/detail.cpuprofile]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { launchChromium, signedInContext } from "./browser";
import { ApiClient } from "./http";
import { startServer } from "./server";
import { sleep } from "./clients";

const DB = process.env.BENCH_DB_URL ?? "postgres://postgres@127.0.0.1:5432/syncwatch_bench_small";

async function main() {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const changes = Number(arg("--changes") ?? 10);
  const profileOut = arg("--profile");
  const pool = new pg.Pool({ connectionString: DB, max: 1 });
  const { rows } = await pool.query<{ meta: { fixtures: { inProgressRunId: string } } }>(
    `SELECT meta FROM _bench_seed WHERE scale = 'small'`,
  );
  await pool.end();
  const id = rows[0].meta.fixtures.inProgressRunId;
  const adminKey = "sw_bench_" + randomBytes(24).toString("base64url");
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "syncwatch-profile-"));
  const server = await startServer({ kind: "postgres", url: DB }, adminKey, workDir);
  const api = new ApiClient(server.base, adminKey);
  const browser = await launchChromium();
  try {
    const context = await signedInContext(browser, api, {
      viewport: { width: 1024, height: 768 },
      reducedMotion: "reduce",
    });
    const tag = `prof ${Date.now().toString(36)}`;
    await context.addInitScript(`(() => {
      const seen = {};
      window.__swSeen = seen;
      const re = /${tag} change (\\d+)/;
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="progress-panel"]');
        const m = el && re.exec(el.textContent || "");
        if (m && !(m[1] in seen)) seen[m[1]] = performance.timeOrigin + performance.now();
      }).observe(document, { subtree: true, childList: true, characterData: true });
    })()`);
    // counts of what the page receives and commits: stream events by type, React commits
    await context.addInitScript(`(() => {
      window.__swEvents = {};
      window.__swCommits = 0;
      window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
        supportsFiber: true, renderers: new Map(), inject() { return 1; }, checkDCE() {},
        onCommitFiberRoot() { window.__swCommits++; }, onCommitFiberUnmount() {}, onPostCommitFiberRoot() {},
      };
      const ES = window.EventSource;
      window.EventSource = class extends ES {
        addEventListener(type, fn, o) {
          super.addEventListener(type, (e) => {
            let k = type;
            try { const d = JSON.parse(e.data); if (d && d.s) k += ":" + d.s; } catch {}
            window.__swEvents[k] = (window.__swEvents[k] || 0) + 1;
            fn(e);
          }, o);
        }
      };
    })()`);
    const page = await context.newPage();
    const apiRequests: string[] = [];
    let counting = false;
    page.on("request", (r) => {
      if (counting && new URL(r.url()).pathname.startsWith("/api/v1/")) apiRequests.push(new URL(r.url()).pathname);
    });
    await page.goto(`/activities/${id}`, { waitUntil: "domcontentloaded" });
    await page.locator('[data-testid="progress-panel"]').waitFor();
    await page
      .locator('[data-testid="charts"]')
      .waitFor({ timeout: 30_000 })
      .catch(() => undefined);
    await sleep(4_000);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable", { timeDomain: "threadTicks" } as never);
    const metrics = async () => {
      const m = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
      return Object.fromEntries(m.metrics.map((x) => [x.name, x.value]));
    };
    const names = [
      "TaskDuration",
      "ScriptDuration",
      "LayoutDuration",
      "RecalcStyleDuration",
      "LayoutCount",
      "RecalcStyleCount",
    ];
    // idle first: what the page costs with nothing changing
    const i0 = await metrics();
    await sleep(6_000);
    const i1 = await metrics();
    console.log(
      `idle 6 s: ${names.map((n) => `${n} ${n.endsWith("Count") ? i1[n] - i0[n] : ((i1[n] - i0[n]) * 1000).toFixed(1) + " ms"}`).join(", ")}`,
    );
    if (profileOut) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
      await cdp.send("Profiler.start");
    }
    counting = true;
    const e0 = (await page.evaluate("[window.__swCommits, JSON.stringify(window.__swEvents)]")) as [number, string];
    const per: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    const latencies: number[] = [];
    for (let n = 1; n <= changes; n++) {
      const m0 = await metrics();
      const res = await fetch(`${server.base}/api/v1/activities/${id}/progress`, {
        method: "POST",
        headers: { "X-Api-Key": adminKey, "Content-Type": "application/json" },
        body: JSON.stringify({ message: `${tag} change ${n}` }),
      });
      await res.arrayBuffer();
      const committed = performance.timeOrigin + performance.now();
      if (!res.ok) throw new Error(`progress answered ${res.status}`);
      await sleep(1_900);
      const m1 = await metrics();
      for (const k of names) per[k].push(k.endsWith("Count") ? m1[k] - m0[k] : (m1[k] - m0[k]) * 1000);
      const seen = (await page.evaluate("window.__swSeen")) as Record<string, number>;
      latencies.push(seen[n] !== undefined ? seen[n] - committed : NaN);
    }
    counting = false;
    const e1 = (await page.evaluate("[window.__swCommits, JSON.stringify(window.__swEvents)]")) as [number, string];
    console.log(
      `React commits per change: ${((e1[0] - e0[0]) / changes).toFixed(1)}; stream events before ${e0[1]}, after ${e1[1]}`,
    );
    if (profileOut) {
      const { profile } = (await cdp.send("Profiler.stop")) as { profile: unknown };
      fs.writeFileSync(profileOut, JSON.stringify(profile));
      console.log(`profile written to ${profileOut}`);
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const k of names)
      console.log(
        `${k} per change: mean ${mean(per[k]).toFixed(1)}, median ${med(per[k]).toFixed(1)} (${per[k].map((x) => x.toFixed(0)).join(" ")})`,
      );
    console.log(`change → DOM ms: ${latencies.map((x) => x.toFixed(0)).join(" ")}`);
    console.log(`/api/v1 requests meanwhile: ${apiRequests.length} ${[...new Set(apiRequests)].join(" ")}`);
    console.log(
      `load average: ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(" ")}`,
    );
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
