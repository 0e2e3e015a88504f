/**
 * Cross-site request forgery and the pages' protective headers, as a browser sees them. A signed-in
 * administrator visits a page of another origin whose form posts to Syncwatch's trigger endpoint:
 * from another site the SameSite=Lax cookie is not sent; from the same site on another port it is
 * sent, and the origin check refuses it. Either way no run is created.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { E2E_PORT } from "../playwright.config";
import type { ActivityList } from "../lib/api/activities";
import { expect, getJson, pickRunProfile, test } from "./fixtures";

let foreign: http.Server;
let foreignPort = 0;
let formTarget = "";

test.beforeAll(async () => {
  foreign = http.createServer((req, res) => {
    // A forged form: no JavaScript needed, the browser posts it with whatever cookies it sends.
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><title>Win a prize</title>
      <form id="forged" method="post" action="${formTarget}" enctype="text/plain">
        <input name='{"ignored":"' value='"}'><button>Claim</button>
      </form>`);
  });
  await new Promise<void>((resolve) => foreign.listen(0, "0.0.0.0", resolve));
  foreignPort = (foreign.address() as AddressInfo).port;
});

test.afterAll(async () => {
  await new Promise((resolve) => foreign.close(resolve));
});

/** Runs of the profile created since `since` (the demo history back-fills older ones meanwhile). */
async function runsSince(api: Parameters<typeof pickRunProfile>[0], runProfileId: number, since: string) {
  const query = `runProfileId=${runProfileId}&topLevelOnly=false&from=${encodeURIComponent(since)}&pageSize=1&count=exact`;
  return (await getJson<ActivityList>(api, `/api/v1/activities?${query}`)).totalCount;
}

// The app is served at localhost; 127.0.0.1 is another site, localhost on another port the same site.
for (const { name, host, refusedWith } of [
  { name: "a cross-site form post", host: "127.0.0.1", refusedWith: [401, 403] },
  { name: "a same-site post from another origin", host: "localhost", refusedWith: [403] },
]) {
  test(`${name} cannot trigger a run with the administrator's session`, async ({ adminPage: page, api }) => {
    const { cs, rpId } = await pickRunProfile(api);
    formTarget = `http://localhost:${E2E_PORT}/api/v1/connected-systems/${cs.id}/run-profiles/${rpId}/execute`;
    const since = new Date().toISOString();

    await page.goto(`http://${host}:${foreignPort}/`);
    const answer = page.waitForResponse((r) => r.url() === formTarget);
    await page.locator("#forged button").click();
    const res = await answer;

    expect(refusedWith).toContain(res.status());
    const body = (await res.json()) as { code: string; message: string };
    expect(["UNAUTHORISED", "FORBIDDEN"]).toContain(body.code);
    if (res.status() === 403) expect(body.message).toMatch(/Cross-(site|origin) request refused/);
    expect(await runsSince(api, rpId, since), "no run was created").toBe(0);
  });
}

test("the same trigger from the dashboard's own origin is accepted (the check is not a blanket refusal)", async ({
  adminPage: page,
  api,
}) => {
  const { cs, rpId } = await pickRunProfile(api);
  const since = new Date().toISOString();
  await page.goto("/");
  const status = await page.evaluate(async (url) => {
    const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    return res.status;
  }, `/api/v1/connected-systems/${cs.id}/run-profiles/${rpId}/execute`);
  expect([200, 202]).toContain(status);
  // 202: a new run; 200: the run of this profile already queued was returned instead.
  expect(await runsSince(api, rpId, since)).toBe(status === 202 ? 1 : 0);
});

test("pages send a nonce-based CSP that forbids framing, and the other protective headers", async ({
  adminPage: page,
}) => {
  const res = await page.goto("/");
  const headers = res!.headers();
  const csp = headers["content-security-policy"];
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src"));
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBeTruthy();
  expect(headers["permissions-policy"]).toBeTruthy();
});
