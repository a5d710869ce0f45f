import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// `npm run sbom` writes a CycloneDX SBOM from the lockfile, offline. Runs the real script.

const dir = mkdtempSync(join(tmpdir(), "tessera-sbom-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sbom(...extra: string[]) {
  const out = join(dir, `sbom-${extra.length}.json`);
  const run = spawnSync("npx", ["tsx", "scripts/sbom.ts", `--out=${out}`, ...extra], {
    encoding: "utf8",
  });
  expect(run.status, run.stderr).toBe(0);
  const bom = JSON.parse(readFileSync(out, "utf8")) as {
    bomFormat: string;
    specVersion: string;
    components: { name: string; version: string; purl?: string }[];
  };
  return { bom, stdout: run.stdout };
}

describe("npm run sbom", () => {
  it("lists the shipped packages with their locked versions, without the test tools", () => {
    const { bom, stdout } = sbom();
    expect(bom.bomFormat).toBe("CycloneDX");
    expect(stdout).toMatch(/^sbom: .* \(CycloneDX [\d.]+, \d+ components\)/);
    const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as {
      packages: Record<string, { version: string }>;
    };
    const next = bom.components.find((c) => c.name === "next");
    expect(next?.version).toBe(lock.packages["node_modules/next"]!.version);
    expect(next?.purl).toContain("pkg:npm/next@");
    expect(bom.components.some((c) => c.name === "vitest")).toBe(false);
  }, 60_000);

  it("adds the build and test tools with --include-dev", () => {
    const { bom } = sbom("--include-dev");
    expect(bom.components.some((c) => c.name === "vitest")).toBe(true);
  }, 60_000);
});
