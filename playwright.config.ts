import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { E2E_AUTH_SECRET, E2E_METRICS_TOKEN, E2E_MFA_ENCRYPTION_KEY } from "./tests/e2e/mfa-key";

// `npm run test:e2e` = `playwright test`. Two ways to run it:
// - against an app it starts itself (what `npm test` does): set TEST_DATABASE_URL to a database
//   the tests may write to; the webServer builds if needed and runs `next start` on port 3100
//   with the demo accounts seeded;
// - against a running app: set E2E_BASE_URL (the app must have the demo accounts).
// Browser: PLAYWRIGHT_CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own.

const externalBaseUrl = process.env.E2E_BASE_URL;
// Set by scripts/test.ts: "embedded" when the app runs on PGlite.
const embedded = process.env.TESSERA_TEST_DB_KIND === "embedded";
// E2E_PORT lets several copies of the suite run side by side on one machine.
const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = externalBaseUrl ?? `http://127.0.0.1:${PORT}`;
const executablePath =
  process.env.PLAYWRIGHT_CHROMIUM_PATH ||
  (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

function webServer() {
  if (externalBaseUrl) return undefined;
  const databaseUrl = process.env.TEST_DATABASE_URL;
  if (!databaseUrl) {
    throw new Error(
      "playwright: set TEST_DATABASE_URL (the app's database) or E2E_BASE_URL (a running app).",
    );
  }
  return {
    // One node process with the tsx loader: Playwright's SIGTERM reaches start.ts directly.
    command: "node --import tsx scripts/start.ts",
    url: `${baseURL}/login`,
    timeout: 600_000, // includes `next build` when .next is stale (minutes on a busy 2-core machine)
    reuseExistingServer: false,
    stdout: "pipe" as const,
    stderr: "pipe" as const,
    gracefulShutdown: { signal: "SIGTERM" as const, timeout: 20_000 },
    env: {
      ...(process.env as Record<string, string>),
      DATABASE_URL: databaseUrl,
      TESSERA_SEED_DEMO: "1",
      // Audit anchors of this run's database (ADR 004): never the repository's .data/.
      TESSERA_AUDIT_ANCHOR_FILE: join(tmpdir(), `tessera-e2e-anchors-${Date.now()}.jsonl`),
      AUTH_SECRET: E2E_AUTH_SECRET,
      // Fixed e2e-only key: tests/e2e/fixtures.ts encrypts its users' TOTP secrets with it.
      // Staff MFA stays required (the default): the suite exercises the enforcement.
      MFA_ENCRYPTION_KEY: E2E_MFA_ENCRYPTION_KEY,
      // /api/metrics exists only with a token (tests/e2e/metrics.spec.ts).
      TESSERA_METRICS_TOKEN: E2E_METRICS_TOKEN,
      AUTH_TRUST_HOST: "true",
      // The test SMTP server npm test starts (scripts/lib/smtp-sink.ts): mail the app sends lands
      // in TESSERA_TEST_SMTP_DIR, where tests/support/mail.ts reads it.
      ...(process.env.TESSERA_TEST_SMTP_URL && { SMTP_URL: process.env.TESSERA_TEST_SMTP_URL }),
      // Single sign-on against the OpenID Connect test provider npm test starts
      // (scripts/oidc-test-provider.ts; tests/e2e/sso.spec.ts): groups "tessera-admins" and
      // "tessera-technicians" map to the staff roles; no just-in-time accounts (the spec checks
      // the refusal; tests/integration/sso.test.ts covers creation); passwords stay open. The
      // button's label must not contain "Sign in": the suite finds the password form's button by
      // that name.
      ...(process.env.TESSERA_TEST_OIDC_ISSUER && {
        TESSERA_SSO_ISSUER: process.env.TESSERA_TEST_OIDC_ISSUER,
        TESSERA_SSO_CLIENT_ID: process.env.TESSERA_TEST_OIDC_CLIENT_ID ?? "",
        TESSERA_SSO_CLIENT_SECRET: process.env.TESSERA_TEST_OIDC_CLIENT_SECRET ?? "",
        TESSERA_SSO_LABEL: "Continue with Test IdP",
        TESSERA_SSO_ADMIN_GROUPS: "tessera-admins",
        TESSERA_SSO_TECHNICIAN_GROUPS: "tessera-technicians",
        TESSERA_SSO_JIT: "off",
      }),
      PORT: String(PORT),
      TESSERA_HOSTNAME: "127.0.0.1",
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      // Every test signs in from 127.0.0.1: per-ip sign-in limits and the per-ip CAPTCHA would
      // make the suite order-dependent. Per-account limits keep their defaults (throttle.spec.ts
      // tests them on fresh accounts); ticket limits are raised for the payload suites.
      RATE_LIMIT_SIGN_IN_PER_IP: "10000",
      CAPTCHA_AFTER_IP_FAILURES: "10000",
      RATE_LIMIT_TICKETS_PER_HOUR: "100000",
      RATE_LIMIT_REPLIES_PER_HOUR: "100000",
      RATE_LIMIT_UPLOADS_PER_HOUR: "100000",
      RATE_LIMIT_TICKET_EDITS_PER_HOUR: "100000",
      RATE_LIMIT_PASSWORD_RESETS_PER_IP_PER_HOUR: "100000",
    },
  };
}

export default defineConfig({
  testDir: "tests/e2e",
  // Two browsers at once on PostgreSQL: a test waits on the server, the database or a 30-second
  // code step much of its time, and the other worker uses it. Files still run whole, in order,
  // in one worker each (fullyParallel: false); tests that read server-wide state take the run
  // lock exclusively (tests/e2e/fixtures.ts, `exclusive`). The embedded database runs one
  // session at a time and would share that lock between the workers: one worker there.
  workers: embedded ? 1 : 2,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // 2 cores running the app, PostgreSQL and Chromium together: a cold first request (module
  // loading, first bcrypt) can take 15 s, so leave room rather than fail on load. The embedded
  // database (npm test without a server) answers each query roughly 10x slower: twice the room.
  timeout: embedded ? 120_000 : 60_000,
  expect: { timeout: embedded ? 20_000 : 10_000 },
  reporter: process.env.CI ? "line" : "list",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"] } },
    // @desktop-only: the attack suites (one viewport is enough to prove what the server sends).
    { name: "phone", use: { ...devices["Pixel 7"] }, grepInvert: /@desktop-only/ },
    // iPhone profiles default to WebKit, which is not installed here: same viewport and user
    // agent in Chromium. Only tests tagged @mobile run here, to keep the suite's time in check.
    { name: "iphone", use: { ...devices["iPhone 13"], browserName: "chromium" }, grep: /@mobile/ },
  ],
  webServer: webServer(),
});
