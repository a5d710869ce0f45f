// Lockfile lint (`npm run lint:lockfile`): every package in package-lock.json must come from the
// public npm registry over HTTPS with a sha512 integrity hash, so `npm ci` cannot be pointed at
// another source or accept a swapped tarball. Pure; the CLI is scripts/lint-lockfile.ts.
//
// Why not lockfile-lint: this machine's npm writes lockfiles without `resolved` URLs
// (omit-lockfile-registry-resolved), and lockfile-lint then finds nothing to check and passes;
// it also accepts an entry with no integrity at all. This check fails on both.

export const ALLOWED_REGISTRY = "https://registry.npmjs.org/";

type LockEntry = {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  inBundle?: boolean;
};
/** The parsed JSON; entries are narrowed field by field. */
export type Lockfile = { lockfileVersion?: unknown; packages?: Record<string, object> };

// A version field that is a URL or a git/file/alias spec instead of a plain semver.
const NON_REGISTRY_VERSION = /^(?:git\+|git:|github:|gitlab:|bitbucket:|https?:|file:|link:|npm:)/;
// One or more sha512 digests (npm may list several, space separated).
const SHA512 = /^sha512-[A-Za-z0-9+/]{86}==(?:\s+sha512-[A-Za-z0-9+/]{86}==)*$/;

export function lintLockfile(lock: Lockfile): string[] {
  const problems: string[] = [];
  if (typeof lock.lockfileVersion !== "number" || lock.lockfileVersion < 2) {
    problems.push(`lockfileVersion ${String(lock.lockfileVersion)}: need 2 or 3 (npm 7+)`);
  }
  const packages = lock.packages;
  if (!packages || Object.keys(packages).length < 2) {
    problems.push("no packages listed: nothing could be checked");
    return problems;
  }
  for (const [path, raw] of Object.entries(packages)) {
    const entry = raw as LockEntry;
    if (path === "") continue; // the project itself
    if (entry.link) {
      problems.push(`${path}: a linked (local) package`);
      continue;
    }
    // Bundled dependencies ship inside their parent's tarball, covered by its integrity.
    if (entry.inBundle) continue;
    if (!path.includes("node_modules/")) {
      problems.push(`${path}: not installed from the registry (workspace or local folder)`);
      continue;
    }
    if (entry.version && NON_REGISTRY_VERSION.test(entry.version)) {
      problems.push(`${path}: version "${entry.version}" is not from the registry`);
    }
    if (entry.resolved !== undefined && !entry.resolved.startsWith(ALLOWED_REGISTRY)) {
      problems.push(
        `${path}: resolved from ${entry.resolved}, only ${ALLOWED_REGISTRY} is allowed`,
      );
    }
    if (!entry.integrity) problems.push(`${path}: no integrity hash`);
    else if (!SHA512.test(entry.integrity))
      problems.push(`${path}: integrity is not sha512 (${entry.integrity.slice(0, 12)}...)`);
  }
  return problems;
}
