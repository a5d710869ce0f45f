// `npm run sbom`: a CycloneDX SBOM of what Tessera ships (production dependencies, from
// package-lock.json) written to sbom.json (gitignored). Uses npm's built-in `npm sbom` (npm 9.5+,
// no extra dependency, works offline). `-- --include-dev` adds the build and test tools.
// Fails, rather than writing a hollow file, when the output is not a CycloneDX document that
// lists the packages we know are there.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const includeDev = process.argv.includes("--include-dev");
const out = process.argv.find((a) => a.startsWith("--out="))?.slice(6) ?? "sbom.json";

const args = ["sbom", "--sbom-format", "cyclonedx", "--sbom-type", "application"];
args.push("--package-lock-only"); // the lockfile is the truth; no dependence on node_modules
if (!includeDev) args.push("--omit", "dev");
const result = spawnSync("npm", args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
if (result.status !== 0) {
  console.error(`npm ${args.join(" ")} failed (${result.status}):\n${result.stderr}`);
  process.exit(1);
}

type Bom = { bomFormat?: string; specVersion?: string; components?: { name: string }[] };
let bom: Bom;
try {
  bom = JSON.parse(result.stdout) as Bom;
} catch {
  console.error("npm sbom did not print JSON");
  process.exit(1);
}
const names = new Set((bom.components ?? []).map((c) => c.name));
const missing = ["next", "react", "react-dom", "next-auth"].filter((n) => !names.has(n));
if (bom.bomFormat !== "CycloneDX" || missing.length) {
  console.error(
    `not a usable CycloneDX SBOM (format ${bom.bomFormat}; missing ${missing.join(", ")})`,
  );
  process.exit(1);
}
writeFileSync(out, `${JSON.stringify(bom, null, 2)}\n`);
console.log(
  `sbom: ${out} (CycloneDX ${bom.specVersion}, ${names.size} components${includeDev ? ", dev included" : ""})`,
);
