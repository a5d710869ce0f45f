import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ADVISORIES,
  REQUIRED_PACKAGES,
  compareVersions,
  findAdvisories,
  isRefusedPrerelease,
} from "@/scripts/security/advisories";

// Dependency hygiene: the INSTALLED versions (node_modules/<pkg>/package.json, what actually
// runs, not what package.json asks for) must be outside every known advisory range listed in
// scripts/security/advisories.ts, which cites each advisory:
//   CVE-2025-29927 (GHSA-f82v-jwr5-mffw) Next.js middleware bypass: fixed 12.3.5/13.5.9/14.2.25/15.2.3
//   CVE-2025-55182 React2Shell (GHSA-fv66-9v8q-g76r): react-server-dom-* 19.0.1/19.1.2/19.2.1;
//     Next.js CVE-2025-66478: 15.0.5/15.1.9/15.2.6/15.3.6/15.4.8/15.5.7/16.0.7
//   CVE-2025-55183/-55184/-67779 (react.dev blog 2025-12-11, nextjs.org/blog/security-update-2025-12-11):
//     React 19.0.3/19.1.4/19.2.3; Next.js 14.2.35/15.0.7/.../15.5.9/16.0.10
//   CVE-2026-44575/-45109 Next.js middleware bypass via segment-prefetch URLs: 15.5.17/16.2.6
//   GHSA-5jpx-9hw9-2fx4 next-auth email misdelivery: 4.24.12 / 5.0.0-beta.30
// No advisory database is queried (there is no network here): a package that is missing or
// unreadable FAILS the test rather than being skipped.

const root = process.cwd();

function installedVersion(pkg: string): string {
  const file = join(root, "node_modules", pkg, "package.json");
  if (!existsSync(file)) throw new Error(`${pkg} is not installed (${file} missing)`);
  const version = (JSON.parse(readFileSync(file, "utf8")) as { version?: unknown }).version;
  if (typeof version !== "string") throw new Error(`${file} has no version`);
  return version;
}

function describeFindings(pkg: string, version: string): string[] {
  return findAdvisories(pkg, version).map(
    (f) => `${pkg}@${version}: ${f.advisory.id} (${f.advisory.summary}); fixed in ${f.range.fixed}`,
  );
}

describe("installed versions are past every known critical advisory", () => {
  for (const pkg of REQUIRED_PACKAGES) {
    it(`${pkg}`, () => {
      const version = installedVersion(pkg);
      expect(describeFindings(pkg, version)).toEqual([]);
      expect(isRefusedPrerelease(pkg, version), `${pkg}@${version} is a pre-release`).toBe(false);
    });
  }

  it("react-server-dom-* packages, when installed directly, are patched too", () => {
    for (const pkg of Object.keys(ADVISORIES).filter((p) => p.startsWith("react-server-dom-"))) {
      if (!existsSync(join(root, "node_modules", pkg, "package.json"))) continue; // Next vendors its own
      expect(describeFindings(pkg, installedVersion(pkg))).toEqual([]);
    }
  });

  it("react and react-dom are the same version (they are released in lockstep)", () => {
    expect(installedVersion("react-dom")).toBe(installedVersion("react"));
  });

  it("refuses to pass when a package is missing", () => {
    expect(() => installedVersion("definitely-not-installed-tessera-pkg")).toThrow(/not installed/);
  });
});

describe("the check fails for vulnerable versions (fabricated)", () => {
  const cases: [string, string, string][] = [
    ["next", "15.2.2", "CVE-2025-29927"],
    ["next", "14.2.24", "CVE-2025-29927"],
    ["next", "13.5.8", "CVE-2025-29927"],
    ["next", "16.0.6", "CVE-2025-66478"],
    ["next", "15.5.6", "CVE-2025-66478"],
    ["next", "16.0.9", "CVE-2025-55184"],
    ["next", "15.3.7", "CVE-2025-55184"],
    ["next", "16.2.5", "CVE-2026-45109"],
    ["react", "19.2.0", "CVE-2025-55182"],
    ["react-dom", "19.1.1", "CVE-2025-55182"],
    ["react", "19.2.2", "CVE-2025-67779"],
    ["react-dom", "19.0.2", "CVE-2025-67779"],
    ["react-server-dom-webpack", "19.1.3", "CVE-2025-67779"],
    ["next-auth", "5.0.0-beta.29", "GHSA-5jpx-9hw9-2fx4"],
    ["next-auth", "4.24.11", "GHSA-5jpx-9hw9-2fx4"],
  ];
  it.each(cases)("%s@%s is flagged by %s", (pkg, version, id) => {
    expect(findAdvisories(pkg, version).map((f) => f.advisory.id)).toContain(id);
  });

  const safe: [string, string][] = [
    ["next", "14.2.35"],
    ["next", "15.5.18"],
    ["next", "16.2.6"],
    ["next", "16.4.6"],
    ["react", "19.0.3"],
    ["react", "19.1.4"],
    ["react", "19.2.3"],
    ["react-dom", "19.3.1"],
    ["next-auth", "5.0.0-beta.30"],
    ["next-auth", "5.0.0"],
    ["next-auth", "4.24.12"],
  ];
  it.each(safe)("%s@%s is not flagged", (pkg, version) => {
    expect(findAdvisories(pkg, version)).toEqual([]);
  });

  it("refuses canary builds of Next.js and React, which fall between the ranges", () => {
    expect(isRefusedPrerelease("next", "16.1.0-canary.3")).toBe(true);
    expect(isRefusedPrerelease("react", "19.3.0-canary-abc-20260101")).toBe(true);
    expect(isRefusedPrerelease("next-auth", "5.0.0-beta.32")).toBe(false);
  });
});

describe("compareVersions (SemVer 2.0.0 precedence)", () => {
  it("orders numerically, releases after their pre-releases, numeric identifiers first", () => {
    const ordered = [
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      "1.0.0",
      "1.0.1",
      "1.10.0",
      "2.0.0",
    ];
    for (let i = 0; i < ordered.length - 1; i++) {
      expect(compareVersions(ordered[i]!, ordered[i + 1]!)).toBeLessThan(0);
      expect(compareVersions(ordered[i + 1]!, ordered[i]!)).toBeGreaterThan(0);
    }
    expect(compareVersions("16.0.10", "16.0.9")).toBeGreaterThan(0); // not a string compare
    expect(compareVersions("5.0.0-beta.30", "5.0.0-beta.4")).toBeGreaterThan(0);
    expect(compareVersions("1.2.3+build.5", "1.2.3")).toBe(0);
    expect(() => compareVersions("latest", "1.0.0")).toThrow();
  });
});
