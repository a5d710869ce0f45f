// Per-route HTTP metrics, recorded by scripts/server.ts for every request it receives. The route
// label is the app's route pattern ("/tickets/[number]"), found from the files of app/ at start
// (page.tsx and route.ts, route groups and private folders as Next treats them), or one of a few
// fixed labels: never the raw path, which would grow without bound and carry ticket numbers and
// user ids into the metrics. Script-safe.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import { appMetrics } from "@/lib/metrics/registry";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const ROUTE_FILE = /^(page|route)\.(tsx?|jsx?)$/;
// Metadata files of the app directory served under their own name (app/icon.svg -> /icon.svg).
const METADATA_FILE = /^(icon|apple-icon|favicon|robots|sitemap|manifest|opengraph-image)\.\w+$/;

type Pattern = { route: string; regex: RegExp; dynamic: number };

/** The route patterns of an app directory ("/", "/tickets/[number]", "/api/auth/[...nextauth]"). */
export function appRoutePatterns(appDir: string): string[] {
  const found = new Set<string>();
  const walk = (dir: string, segments: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const name = entry.name;
      if (entry.isDirectory()) {
        if (name.startsWith("_") || name.startsWith("@")) continue; // private folders, slots
        const grouped = name.startsWith("(") && name.endsWith(")");
        walk(join(dir, name), grouped ? segments : [...segments, name]);
      } else if (ROUTE_FILE.test(name)) {
        found.add(`/${segments.join("/")}`);
      } else if (segments.length === 0 && METADATA_FILE.test(name)) {
        found.add(`/${name}`);
      }
    }
  };
  walk(appDir, []);
  return [...found].sort();
}

function compile(route: string): Pattern {
  let dynamic = 0;
  const parts = route
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      if (/^\[\[\.\.\..+\]\]$/.test(segment)) return ((dynamic += 3), "(?:/[^/]+)*");
      if (/^\[\.\.\..+\]$/.test(segment)) return ((dynamic += 2), "(?:/[^/]+)+");
      if (/^\[.+\]$/.test(segment)) return ((dynamic += 1), "/[^/]+");
      return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
    });
  return { route, regex: new RegExp(`^${parts.join("") || "/"}/?$`), dynamic };
}

/**
 * A function from a request path to its route label: the matching pattern (static before
 * dynamic, as Next matches), "/_next/static" or "/_next/image" for Next's assets, or "other"
 * (unknown paths: 404s, probes).
 */
export function routeLabeler(patterns: readonly string[]): (path: string) => string {
  const compiled = patterns.map(compile).sort((a, b) => a.dynamic - b.dynamic);
  return (rawPath) => {
    const path = rawPath.split("?")[0] ?? "";
    if (path.startsWith("/_next/static/")) return "/_next/static";
    if (path === "/_next/image") return "/_next/image";
    const hit = compiled.find((p) => p.regex.test(path));
    return hit ? hit.route : "other";
  };
}

/** The labeler of this app (app/ under the working directory, as Next serves it). */
export function appRouteLabeler(root = process.cwd()): (path: string) => string {
  return routeLabeler(appRoutePatterns(join(root, "app")));
}

/** Counts the request and times it until its response ends (or the client goes away). */
export function recordHttpRequest(
  req: IncomingMessage,
  res: ServerResponse,
  label: (path: string) => string,
): void {
  const { metrics } = appMetrics();
  const started = process.hrtime.bigint();
  const method = METHODS.has(req.method ?? "") ? req.method! : "other";
  const route = label(req.url ?? "/");
  metrics.httpInFlight.inc();
  let done = false;
  const end = () => {
    if (done) return;
    done = true;
    metrics.httpInFlight.dec();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // A response that never finished: the client left (or the socket broke) first.
    const status = res.writableFinished ? String(res.statusCode) : "aborted";
    metrics.httpRequests.inc({ method, route, status });
    metrics.httpDuration.observe({ method, route }, seconds);
  };
  res.once("finish", end);
  res.once("close", end);
}
