// Prometheus metrics over HTTP through the real server (issue 12 §3, ADR 019): the token is the
// only key (a session opens nothing), and what scripts/server.ts records per request shows up in
// what Next's route handler exposes (one registry per process, however many module copies).
import { parseExposition, type Sample } from "@/tests/support/prometheus";
import { expect, test } from "./fixtures";
import { E2E_METRICS_TOKEN } from "./mfa-key";

test.skip(Boolean(process.env.E2E_BASE_URL), "needs the suite's own server and its token");
// Exact counter deltas of the one server: no other test may request pages meanwhile.
test.use({ exclusive: true });

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const total = (samples: Sample[], route: string, status?: string) =>
  samples
    .filter(
      (s) =>
        s.name === "tessera_http_requests_total" &&
        s.labels.route === route &&
        (status === undefined || s.labels.status === status),
    )
    .reduce((sum, s) => sum + s.value, 0);

test("/api/metrics: only with the token; requests counted by route pattern, never by path", async ({
  page,
  request,
  login,
}) => {
  for (const headers of [{}, bearer(`${E2E_METRICS_TOKEN}x`), bearer("")]) {
    const res = await request.get("/api/metrics", { headers, maxRedirects: 0 });
    expect(res.status(), JSON.stringify(headers)).toBe(401);
    expect(await res.text()).not.toContain("tessera_");
  }
  // A signed-in session (the demo user's cookie) is no key either.
  await login("user");
  expect((await page.request.get("/api/metrics", { maxRedirects: 0 })).status()).toBe(401);

  const scrape = async () => {
    const res = await request.get("/api/metrics", { headers: bearer(E2E_METRICS_TOKEN) });
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    return { text, samples: parseExposition(text) };
  };
  const before = await scrape();
  for (const path of ["/tickets/987654321", "/tickets/987654322", "/no-such-page-987654323"]) {
    await request.get(path, { maxRedirects: 0 });
  }
  const after = await scrape();
  // Signed out, both are redirected to sign in (307); the signed-in page's own prefetches of
  // ticket links (200) may land between the scrapes and are not counted here.
  expect(
    total(after.samples, "/tickets/[number]", "307") -
      total(before.samples, "/tickets/[number]", "307"),
  ).toBe(2);
  expect(total(after.samples, "other")).toBeGreaterThan(total(before.samples, "other"));
  expect(total(after.samples, "/login")).toBeGreaterThan(0);
  expect(after.text).not.toMatch(/98765432\d|no-such-page/);
  // Read by Next's bundled code: the pool of lib/db and the database-backed gauges.
  const value = (name: string) => after.samples.find((s) => s.name === name)?.value;
  expect(value("tessera_db_pool_max_connections")).toBeGreaterThan(0);
  expect(value("tessera_metrics_database_up")).toBe(1);
  expect(value("tessera_audit_pending_events")).toBeGreaterThanOrEqual(0);
});
