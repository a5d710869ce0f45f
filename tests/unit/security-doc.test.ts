import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// SECURITY.md promises that every control it lists is proved by a test in `npm test`. This keeps
// the promise checkable: every row of its table names at least one test file, and every file it
// names exists and is one the test command runs (vitest's or Playwright's folders).

const doc = readFileSync("SECURITY.md", "utf8");

function tableRows(markdown: string): { control: string; proof: string }[] {
  const start = markdown.indexOf("## What is implemented");
  const end = markdown.indexOf("\n## ", start + 1);
  const section = markdown.slice(start, end === -1 ? undefined : end);
  return section
    .split("\n")
    .filter((line) => line.startsWith("|") && !/^\|\s*-+/.test(line))
    .slice(1) // the header row
    .map((line) => {
      const cells = line.split("|").map((c) => c.trim());
      return { control: cells[1] ?? "", proof: cells[cells.length - 2] ?? "" };
    });
}

const TEST_FILE = /`(tests\/[^`]+?\.(?:test|spec)\.ts)`/g;
const RUN_BY_NPM_TEST =
  /^tests\/(unit|integration|security)\/.+\.test\.ts$|^tests\/e2e\/.+\.spec\.ts$/;

describe("SECURITY.md", () => {
  const rows = tableRows(doc);

  it("has a table of controls", () => {
    expect(rows.length).toBeGreaterThanOrEqual(20);
  });

  it.each(rows.map((r) => [r.control, r.proof]))(
    "%s: names a test file that exists and runs in npm test",
    (_control, proof) => {
      const files = [...proof.matchAll(TEST_FILE)].map((m) => m[1]!);
      expect(files.length, `no test file named in: ${proof}`).toBeGreaterThan(0);
      for (const file of files) {
        expect(existsSync(file), `${file} does not exist`).toBe(true);
        expect(file).toMatch(RUN_BY_NPM_TEST);
      }
    },
  );

  it("has no 'not implemented yet' section left", () => {
    expect(doc).not.toMatch(/## Not implemented yet/);
  });
});
