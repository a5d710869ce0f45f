// Known advisories for the packages whose flaws would expose every Tessera instance, with the
// version ranges they affect (OSV style: introduced <= v < fixed). Checked against the INSTALLED
// versions by tests/unit/deps.test.ts: no network, so the check cannot silently pass offline.
// Add a row when an advisory is published (sources: the GitHub advisory database, the vendors'
// security blogs); never remove one.

export type Range = { introduced: string; fixed: string };
export type Advisory = { id: string; aliases: string[]; summary: string; ranges: Range[] };

// Next.js ---------------------------------------------------------------------------------------
const NEXT: Advisory[] = [
  {
    // https://github.com/vercel/next.js/security/advisories/GHSA-f82v-jwr5-mffw
    id: "CVE-2025-29927",
    aliases: ["GHSA-f82v-jwr5-mffw"],
    summary: "middleware bypass with a forged x-middleware-subrequest header",
    ranges: [
      { introduced: "11.1.4", fixed: "12.3.5" },
      { introduced: "13.0.0", fixed: "13.5.9" },
      { introduced: "14.0.0", fixed: "14.2.25" },
      { introduced: "15.0.0", fixed: "15.2.3" },
    ],
  },
  {
    // Next.js's side of React2Shell (CVE-2025-55182), https://nextjs.org/blog/CVE-2025-66478
    id: "CVE-2025-66478",
    aliases: ["CVE-2025-55182", "GHSA-9qr9-h5gf-34mp"],
    summary: "remote code execution through React Server Components (React2Shell)",
    ranges: [
      { introduced: "15.0.0", fixed: "15.0.5" },
      { introduced: "15.1.0", fixed: "15.1.9" },
      { introduced: "15.2.0", fixed: "15.2.6" },
      { introduced: "15.3.0", fixed: "15.3.6" },
      { introduced: "15.4.0", fixed: "15.4.8" },
      { introduced: "15.5.0", fixed: "15.5.7" },
      { introduced: "16.0.0", fixed: "16.0.7" },
    ],
  },
  {
    // https://nextjs.org/blog/security-update-2025-12-11 (DoS, its incomplete-fix follow-up, and
    // Server Function source exposure)
    id: "CVE-2025-55184",
    aliases: ["CVE-2025-67779", "CVE-2025-55183", "GHSA-mwv6-3258-q52c", "GHSA-5j59-xgg2-r9c4"],
    summary: "denial of service and source code exposure in Server Components",
    ranges: [
      { introduced: "13.3.0", fixed: "14.2.35" },
      { introduced: "15.0.0", fixed: "15.0.7" },
      { introduced: "15.1.0", fixed: "15.1.11" },
      { introduced: "15.2.0", fixed: "15.2.8" },
      { introduced: "15.3.0", fixed: "15.3.8" },
      { introduced: "15.4.0", fixed: "15.4.10" },
      { introduced: "15.5.0", fixed: "15.5.9" },
      { introduced: "16.0.0", fixed: "16.0.10" },
    ],
  },
  {
    // https://github.com/vercel/next.js/security/advisories/GHSA-267c-6grr-h53f and its
    // Turbopack follow-up GHSA-26hh-7cqf-hhc6 (CVE-2026-45109): middleware.ts matchers skipped
    // the .rsc / segment-prefetch variants of a URL. We use middleware.ts built with Turbopack.
    id: "CVE-2026-45109",
    aliases: ["CVE-2026-44575", "GHSA-26hh-7cqf-hhc6", "GHSA-267c-6grr-h53f"],
    summary: "middleware bypass through App Router segment-prefetch URLs",
    ranges: [
      { introduced: "15.2.0", fixed: "15.5.17" },
      { introduced: "16.0.0", fixed: "16.2.6" },
    ],
  },
];

// React (react-server-dom-* are the vulnerable packages; react and react-dom are released in
// lockstep and are what we pin, so the same ranges apply to them) -------------------------------
const REACT: Advisory[] = [
  {
    // https://github.com/facebook/react/security/advisories/GHSA-fv66-9v8q-g76r
    id: "CVE-2025-55182",
    aliases: ["GHSA-fv66-9v8q-g76r"],
    summary: "unauthenticated remote code execution in React Server Components (React2Shell)",
    ranges: [
      { introduced: "19.0.0", fixed: "19.0.1" },
      { introduced: "19.1.0", fixed: "19.1.2" },
      { introduced: "19.2.0", fixed: "19.2.1" },
    ],
  },
  {
    // https://react.dev/blog/2025/12/11/denial-of-service-and-source-code-exposure-in-react-server-components
    id: "CVE-2025-67779",
    aliases: ["CVE-2025-55184", "CVE-2025-55183"],
    summary: "denial of service (and its incomplete first fix) and source code exposure",
    ranges: [
      { introduced: "19.0.0", fixed: "19.0.3" },
      { introduced: "19.1.0", fixed: "19.1.4" },
      { introduced: "19.2.0", fixed: "19.2.3" },
    ],
  },
];

// Auth.js ---------------------------------------------------------------------------------------
const NEXT_AUTH: Advisory[] = [
  {
    // https://github.com/nextauthjs/next-auth/security/advisories/GHSA-5jpx-9hw9-2fx4
    id: "GHSA-5jpx-9hw9-2fx4",
    aliases: [],
    summary: "email sign-in links misdelivered through nodemailer's address parser",
    ranges: [
      { introduced: "0.0.0", fixed: "4.24.12" },
      { introduced: "5.0.0-beta.0", fixed: "5.0.0-beta.30" },
    ],
  },
];

export const ADVISORIES: Record<string, Advisory[]> = {
  next: NEXT,
  react: REACT,
  "react-dom": REACT,
  "react-server-dom-webpack": REACT,
  "react-server-dom-turbopack": REACT,
  "react-server-dom-parcel": REACT,
  "next-auth": NEXT_AUTH,
};

/** Packages that must be installed for the check to mean anything. */
export const REQUIRED_PACKAGES = ["next", "react", "react-dom", "next-auth"] as const;

type Parsed = { core: [number, number, number]; pre: (string | number)[] };

export function parseVersion(version: string): Parsed {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(
    version.trim(),
  );
  if (!m) throw new Error(`not a semantic version: ${JSON.stringify(version)}`);
  const pre = m[4] ? m[4].split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [];
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre };
}

/** Semantic Versioning 2.0.0 §11 precedence: negative, zero or positive like a comparator. */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return x.core[i]! - y.core[i]!;
  if (!x.pre.length || !y.pre.length) return (x.pre.length ? -1 : 0) + (y.pre.length ? 1 : 0);
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    if (typeof p === "number" && typeof q === "number") return p - q;
    if (typeof p === "number") return -1;
    if (typeof q === "number") return 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

export type Finding = { pkg: string; version: string; advisory: Advisory; range: Range };

/** The advisories that affect `pkg@version` (empty = none known). */
export function findAdvisories(pkg: string, version: string): Finding[] {
  const findings: Finding[] = [];
  for (const advisory of ADVISORIES[pkg] ?? []) {
    for (const range of advisory.ranges) {
      if (
        compareVersions(version, range.introduced) >= 0 &&
        compareVersions(version, range.fixed) < 0
      ) {
        findings.push({ pkg, version, advisory, range });
      }
    }
  }
  return findings;
}

/**
 * Canary and other pre-release builds of Next.js and React fall between the ranges above (a
 * 16.1.0-canary sorts after 16.0.10) although many were affected: refuse them outright.
 * Auth.js v5 is only published as betas, so it is exempt.
 */
export function isRefusedPrerelease(pkg: string, version: string): boolean {
  return pkg !== "next-auth" && parseVersion(version).pre.length > 0;
}
