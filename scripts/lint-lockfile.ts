// `npm run lint:lockfile`: see scripts/security/lockfile.ts. Exit 1 with the problems listed.
import { readFileSync } from "node:fs";
import { lintLockfile } from "./security/lockfile";

const path = process.argv[2] ?? "package-lock.json";
let problems: string[];
try {
  problems = lintLockfile(JSON.parse(readFileSync(path, "utf8")));
} catch (err) {
  problems = [`cannot read ${path}: ${(err as Error).message}`];
}
if (problems.length) {
  console.error(`lint:lockfile: ${problems.length} problem(s) in ${path}`);
  for (const p of problems.slice(0, 50)) console.error(`  ${p}`);
  process.exit(1);
}
console.log(
  `lint:lockfile: ${path} ok (registry ${"https://registry.npmjs.org/"} only, sha512 everywhere)`,
);
