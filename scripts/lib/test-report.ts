import { existsSync, readFileSync } from "node:fs";
import { relative, sep } from "node:path";

// Reads the JSON reports of vitest and Playwright into per-kind counts for `npm test`'s summary.

export type Counts = { passed: number; failed: number; skipped: number };
export type KindCounts = Map<string, Counts>;

function bump(map: KindCounts, kind: string, key: keyof Counts, by = 1): void {
  const c = map.get(kind) ?? { passed: 0, failed: 0, skipped: 0 };
  c[key] += by;
  map.set(kind, c);
}

type VitestJson = {
  testResults?: {
    name: string;
    status?: string;
    message?: string;
    assertionResults?: { status: string }[];
  }[];
};

/** Counts per test folder (unit, integration, security). null if the report is missing. */
export function readVitestReport(file: string, root: string): KindCounts | null {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, "utf8")) as VitestJson;
  const kinds: KindCounts = new Map();
  for (const fileResult of report.testResults ?? []) {
    const parts = relative(root, fileResult.name).split(sep);
    const kind = parts[0] === "tests" && parts[1] ? parts[1] : "other";
    const assertions = fileResult.assertionResults ?? [];
    // A file that fails to load has no assertions but must still count as a failure.
    if (assertions.length === 0 && fileResult.status === "failed") bump(kinds, kind, "failed");
    for (const a of assertions) {
      if (a.status === "passed") bump(kinds, kind, "passed");
      else if (a.status === "failed") bump(kinds, kind, "failed");
      else bump(kinds, kind, "skipped");
    }
  }
  return kinds;
}

type PwSuite = {
  suites?: PwSuite[];
  specs?: { tests?: { projectName?: string; status?: string }[] }[];
};
type PwJson = { suites?: PwSuite[]; errors?: unknown[] };

/** Counts per Playwright project (e2e desktop, e2e phone...). null if the report is missing. */
export function readPlaywrightReport(file: string): { kinds: KindCounts; errors: number } | null {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, "utf8")) as PwJson;
  const kinds: KindCounts = new Map();
  const walk = (suite: PwSuite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        const kind = `e2e ${t.projectName || "default"}`;
        // "flaky" passed on a retry; "unexpected" failed; "expected" passed (or failed as declared).
        if (t.status === "expected" || t.status === "flaky") bump(kinds, kind, "passed");
        else if (t.status === "unexpected") bump(kinds, kind, "failed");
        else bump(kinds, kind, "skipped");
      }
    }
    suite.suites?.forEach(walk);
  };
  report.suites?.forEach(walk);
  return { kinds, errors: report.errors?.length ?? 0 };
}

export function total(all: KindCounts): Counts {
  const t = { passed: 0, failed: 0, skipped: 0 };
  for (const c of all.values()) {
    t.passed += c.passed;
    t.failed += c.failed;
    t.skipped += c.skipped;
  }
  return t;
}
