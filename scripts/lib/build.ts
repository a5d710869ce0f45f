import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

// What `next build` depends on. A newer file than .next/BUILD_ID means the build is stale.
const SOURCE_DIRS = ["app", "components", "lib", "public"];
const SOURCE_FILES = [
  "middleware.ts",
  "proxy.ts",
  "auth.ts",
  "auth.config.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
  "prisma/schema.prisma",
];
// Generated output is refreshed by `db:generate` and tracked through prisma/schema.prisma instead.
const SKIP = new Set(["lib/generated", "node_modules", ".next"]);

function newestIn(root: string, rel: string): number {
  const abs = join(root, rel);
  let st;
  try {
    st = statSync(abs);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a deleted file shows up as a newer directory mtime
  for (const entry of readdirSync(abs)) {
    const child = `${rel}/${entry}`;
    if (SKIP.has(child)) continue;
    newest = Math.max(newest, newestIn(root, child));
  }
  return newest;
}

export function newestSourceMtime(root: string): number {
  return Math.max(0, ...[...SOURCE_DIRS, ...SOURCE_FILES].map((p) => newestIn(root, p)));
}

/** Why a build is needed, or null when .next/BUILD_ID is newer than every source file. */
export function buildReason(root: string): string | null {
  const buildId = join(root, ".next/BUILD_ID");
  if (!existsSync(buildId)) return "no production build yet";
  return newestSourceMtime(root) > statSync(buildId).mtimeMs
    ? "sources changed since the last build"
    : null;
}

/** Why the Prisma client must be (re)generated, or null. */
export function generateReason(root: string): string | null {
  const client = join(root, "lib/generated/prisma/client.ts");
  if (!existsSync(client)) return "lib/generated/prisma is missing";
  const schema = join(root, "prisma/schema.prisma");
  return statSync(schema).mtimeMs > statSync(client).mtimeMs
    ? "prisma/schema.prisma changed"
    : null;
}
