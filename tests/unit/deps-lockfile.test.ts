import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lintLockfile } from "@/scripts/security/lockfile";

// The lockfile lint against the real package-lock.json and fabricated bad ones.

const real = JSON.parse(readFileSync("package-lock.json", "utf8")) as {
  lockfileVersion: number;
  packages: Record<string, Record<string, unknown>>;
};
const SHA = `sha512-${"A".repeat(86)}==`;

function lock(entry: Record<string, unknown>) {
  return {
    lockfileVersion: 3,
    packages: { "": { name: "x" }, "node_modules/pkg": { version: "1.0.0", ...entry } },
  };
}

describe("lintLockfile", () => {
  it("accepts the project's lockfile", () => {
    expect(lintLockfile(real)).toEqual([]);
  });

  it("accepts registry entries with or without a resolved URL, and bundled ones", () => {
    expect(lintLockfile(lock({ integrity: SHA }))).toEqual([]);
    expect(
      lintLockfile(
        lock({ integrity: SHA, resolved: "https://registry.npmjs.org/pkg/-/pkg-1.0.0.tgz" }),
      ),
    ).toEqual([]);
    expect(lintLockfile(lock({ inBundle: true }))).toEqual([]);
  });

  it.each([
    ["another host", { integrity: SHA, resolved: "https://evil.example/pkg-1.0.0.tgz" }],
    ["plain http", { integrity: SHA, resolved: "http://registry.npmjs.org/pkg/-/pkg-1.0.0.tgz" }],
    ["a git dependency", { integrity: SHA, version: "git+https://github.com/a/b.git#abc" }],
    ["a tarball URL version", { integrity: SHA, version: "https://example.com/p.tgz" }],
    ["no integrity", {}],
    ["a sha1 integrity", { integrity: "sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA=" }],
    ["a linked package", { integrity: SHA, link: true }],
  ])("refuses %s", (_name, entry) => {
    expect(lintLockfile(lock(entry))).toHaveLength(1);
  });

  it("refuses an old or empty lockfile instead of passing with nothing checked", () => {
    expect(lintLockfile({ lockfileVersion: 1 }).length).toBeGreaterThan(0);
    expect(lintLockfile({ lockfileVersion: 3, packages: { "": {} } })).toEqual([
      "no packages listed: nothing could be checked",
    ]);
  });
});
