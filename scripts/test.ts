// `npm test`: everything CI checks, in order, stopping at the first failure.
//   1. npm run lint and npm run typecheck (side by side), then npm run db:check
//   2. the test services (s3rver, clamd when installed, SMTP, dovecot, the OIDC provider) for
//      both test runners (TESSERA_TEST_*; scripts/lib/test-services.ts)
//   3. `vitest run` (unit, integration, security) on a fresh, migrated database of its own
//   4. `playwright test`: its webServer builds and starts the real app on port 3100 against
//      another fresh, migrated database, seeded with the demo accounts.
//   Databases: on the server of TEST_DATABASE_URL, else DATABASE_URL, a `tessera_test_<random>`
//   database per runner, dropped after; without either, an embedded server per runner in a temp
//   folder. Separate, so the browser suites see what they made and not the thousands of users
//   and categories vitest leaves (axe took 55 s on an admin page listing 1,140 categories).
// `--skip-checks` skips step 1. Arguments after `--playwright` go to `playwright test`
// (e.g. `npm test -- --skip-checks --playwright --project=desktop`).
// Ends with per-kind counts and the line `<passed> passed, <failed> failed`. Zero tests = failure.
//
// Standalone: `npm run test:unit` needs TEST_DATABASE_URL (a database it may write to);
// `npm run test:e2e` needs TEST_DATABASE_URL for its webServer, or E2E_BASE_URL of a running app
// (with demo accounts) instead.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyMigrations } from "./db/migrate";
import { startEmbeddedPostgres, type EmbeddedDb } from "./lib/embedded";
import { repoRoot, run } from "./lib/proc";
import { createFreshDatabase, isPglite, type FreshDatabase } from "./lib/test-database";
import { startTestServices, type TestServices } from "./lib/test-services";
import { readPlaywrightReport, readVitestReport, total, type KindCounts } from "./lib/test-report";

const tmp = mkdtempSync(join(tmpdir(), "tessera-test-"));
const results: KindCounts = new Map();
let crashedRunners = 0; // a runner that died without a report still counts as one failure
let interrupted = false;

process.on("SIGINT", () => {
  // The children got the same Ctrl-C; let them exit, then clean up below.
  interrupted = true;
});
process.on("SIGTERM", () => {
  interrupted = true;
});

function step(title: string): void {
  console.log(`\n=== ${title} ===`);
}

async function npmRun(script: string): Promise<boolean> {
  step(`npm run ${script}`);
  return (await run("npm", ["run", "--silent", script])) === 0 && !interrupted;
}

/**
 * npm scripts side by side (lint and typecheck are each single-threaded: on 2 cores together
 * they take the time of the longer one). Each one's output is printed whole, in order, once all
 * have ended. True only if every one passed.
 */
async function npmRunTogether(scripts: string[]): Promise<boolean> {
  const outcomes = await Promise.all(
    scripts.map(
      (script) =>
        new Promise<{ code: number; output: string }>((resolve) => {
          const chunks: Buffer[] = [];
          const child = spawn("npm", ["run", "--silent", script], {
            stdio: ["ignore", "pipe", "pipe"],
          });
          child.stdout.on("data", (c: Buffer) => chunks.push(c));
          child.stderr.on("data", (c: Buffer) => chunks.push(c));
          child.on("error", (err) => chunks.push(Buffer.from(`${err.message}\n`)));
          child.on("close", (code) =>
            resolve({ code: code ?? 1, output: Buffer.concat(chunks).toString() }),
          );
        }),
    ),
  );
  scripts.forEach((script, i) => {
    step(`npm run ${script}`);
    process.stdout.write(outcomes[i]!.output);
  });
  return outcomes.every((o) => o.code === 0) && !interrupted;
}

type TestDatabase = { url: string; cleanup: () => Promise<void>; embedded: boolean };

async function prepareDatabase(name: string): Promise<TestDatabase> {
  const source = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (source) {
    if (await isPglite(source)) {
      throw new Error(
        "TEST_DATABASE_URL/DATABASE_URL points at an embedded (PGlite) server, which ignores database " +
          "names: the tests would run in its only database. Unset both to let npm test start its own.",
      );
    }
    const fresh: FreshDatabase = await createFreshDatabase(source);
    console.log(`Created database ${fresh.name} for ${name} (dropped at its end)`);
    return { url: fresh.url, cleanup: fresh.drop, embedded: false };
  }
  console.log(
    `No TEST_DATABASE_URL or DATABASE_URL: starting an embedded database for ${name} in a temp folder`,
  );
  const db: EmbeddedDb = await startEmbeddedPostgres({ pgDir: join(tmp, `pg-${name}`), port: 0 });
  return { url: db.url, cleanup: () => db.stop().then(() => {}), embedded: true };
}

function testEnv(url: string, embedded: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TEST_DATABASE_URL: url, DATABASE_URL: url };
  // The webServer must run against THIS database; a preset E2E_BASE_URL would bypass it.
  delete env.E2E_BASE_URL;
  // Tests that need real database isolation (CREATE DATABASE) can tell the embedded server
  // apart: it ignores database names, so every "new" database is this same one.
  env.TESSERA_TEST_DB_KIND = embedded ? "embedded" : "server";
  // The embedded database is called `postgres`; tests/setup refuses non-test names otherwise.
  if (embedded) env.TESSERA_TEST_DB_DISPOSABLE = "1";
  return env;
}

async function runVitest(env: NodeJS.ProcessEnv): Promise<boolean> {
  step("vitest run");
  const report = join(tmp, "vitest.json");
  const bin = join(repoRoot, "node_modules/vitest/vitest.mjs");
  const code = await run(
    process.execPath,
    [bin, "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`],
    { env },
  );
  const kinds = readVitestReport(report, repoRoot);
  if (kinds) kinds.forEach((c, k) => results.set(k, c));
  else if (code !== 0) crashedRunners++;
  return code === 0 && !interrupted;
}

async function runPlaywright(env: NodeJS.ProcessEnv, extra: string[]): Promise<boolean> {
  step(`playwright test ${extra.join(" ")}`.trim());
  const report = join(tmp, "playwright.json");
  const bin = join(repoRoot, "node_modules/@playwright/test/cli.js");
  const code = await run(process.execPath, [bin, "test", "--reporter=list,json", ...extra], {
    env: { ...env, PLAYWRIGHT_JSON_OUTPUT_FILE: report },
  });
  const parsed = readPlaywrightReport(report);
  if (parsed) parsed.kinds.forEach((c, k) => results.set(k, c));
  const counted = parsed ? total(parsed.kinds).failed : 0;
  if (code !== 0 && counted === 0) crashedRunners++; // e.g. the webServer never came up
  return code === 0 && !interrupted;
}

function printSummary(): { passed: number; failed: number } {
  step("summary");
  for (const [kind, c] of [...results.entries()].sort()) {
    const skipped = c.skipped ? `, ${c.skipped} skipped` : "";
    console.log(`  ${kind.padEnd(16)} ${c.passed} passed, ${c.failed} failed${skipped}`);
  }
  const t = total(results);
  if (crashedRunners)
    console.log(
      `  (${crashedRunners} test runner(s) failed without reporting; counted as failures)`,
    );
  const failed = t.failed + crashedRunners;
  console.log(`${t.passed} passed, ${failed} failed`);
  return { passed: t.passed, failed };
}

async function main(): Promise<number> {
  const started = performance.now();
  // `npm test -- --skip-checks` reruns only the tests, for a developer who just ran the checks.
  const skipChecks = process.argv.includes("--skip-checks");
  const at = process.argv.indexOf("--playwright");
  const playwrightArgs = at >= 0 ? process.argv.slice(at + 1) : [];
  let ok =
    skipChecks || ((await npmRunTogether(["lint", "typecheck"])) && (await npmRun("db:check")));
  let services: TestServices | undefined;
  /** Runs `tests` on a fresh, migrated database that is gone afterwards. */
  const onOwnDatabase = async (
    name: string,
    tests: (env: NodeJS.ProcessEnv) => Promise<boolean>,
  ): Promise<boolean> => {
    step(`test database for ${name}`);
    const db = await prepareDatabase(name);
    try {
      const { applied } = await applyMigrations(db.url, { log: () => {} });
      console.log(`${applied.length} migration(s) applied`);
      return await tests({ ...testEnv(db.url, db.embedded), ...services!.env });
    } finally {
      await db
        .cleanup()
        .catch((err: Error) =>
          console.error(`Cleaning up the test database failed: ${err.message}`),
        );
    }
  };
  try {
    if (ok) {
      step("test services");
      services = await startTestServices(join(tmp, "services"));
      ok =
        (await onOwnDatabase("vitest", runVitest)) &&
        (await onOwnDatabase("playwright", (env) => runPlaywright(env, playwrightArgs)));
    }
  } catch (err) {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    ok = false;
  } finally {
    await services?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  const { passed, failed } = printSummary();
  console.log(`(${Math.round((performance.now() - started) / 1000)} s)`);
  if (interrupted) return 130;
  if (passed + failed === 0) {
    console.error(ok ? "No tests ran: that is a failure." : "Stopped before any test ran.");
    return 1;
  }
  return ok && failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
