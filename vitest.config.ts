import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// `npm run test:unit` = `vitest run`. Needs TEST_DATABASE_URL (a database the tests may write to;
// `npm test` creates a fresh one). DATABASE_URL is forced to the same value so code that goes
// through lib/db can never reach a developer's or production database from a test.
const root = fileURLToPath(new URL(".", import.meta.url));
const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? "";

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}` },
      // Outside Next, "server-only" would throw on import; its empty variant is what Next's
      // server bundles use. Aliased by file path: the package's exports map hides empty.js.
      { find: /^server-only$/, replacement: `${root}node_modules/server-only/empty.js` },
    ],
  },
  test: {
    environment: "node",
    include: [
      "tests/unit/**/*.test.ts",
      "tests/integration/**/*.test.ts",
      "tests/security/**/*.test.ts",
    ],
    globalSetup: ["tests/setup/global-setup.ts"],
    setupFiles: ["tests/setup/console-guard.ts"],
    // Integration tests share one database; 2 cores gain little from parallel files anyway.
    fileParallelism: false,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    env: {
      NODE_ENV: "test",
      // A fixed test-only value (>= 32 chars as lib/env requires); never used outside tests.
      AUTH_SECRET: "tessera-test-secret-not-for-production-use-0123456789",
      // 32 bytes, base64, test-only: encrypts TOTP secrets (prisma/factories.ts uses it too).
      MFA_ENCRYPTION_KEY: "dGVzc2VyYS10ZXN0LW1mYS1rZXktbm90LWZvci11c2U=",
      DATABASE_URL: testDatabaseUrl,
      TEST_DATABASE_URL: testDatabaseUrl,
      LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
      // Audit anchors of this run's database (ADR 004): never the repository's .data/.
      TESSERA_AUDIT_ANCHOR_FILE: join(tmpdir(), `tessera-test-anchors-${process.pid}.jsonl`),
      // Sign-in tests share one ip (203.0.113.7): per-ip limits would make them order-dependent.
      // The rate-limit tests set the real defaults themselves (tests/integration/rate-limit*.ts).
      RATE_LIMIT_SIGN_IN_PER_IP: "10000",
      CAPTCHA_AFTER_IP_FAILURES: "10000",
    },
    server: { deps: { inline: ["next-auth"] } },
  },
});
