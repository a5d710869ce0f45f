// Security headers and the Content-Security-Policy, built per response by middleware.ts.
// Pure and edge-safe (no Node APIs, no secrets): unit-tested in tests/unit/csp.test.ts.
// Why each directive is what it is: docs/decisions/009-csp.md.

export type SecurityHeaderOptions = {
  /** Fresh per response; Next.js reads it back from the request's CSP header. */
  nonce: string;
  /** `next dev`: React needs eval for its debugging aids, and the dev overlay injects styles. */
  dev: boolean;
  /** Served over HTTPS (directly or behind a proxy): HSTS and upgrade-insecure-requests. */
  https: boolean;
};

/** One year, the minimum our security policy and the HSTS preload list accept. */
export const HSTS_MAX_AGE = 31_536_000;

const NONCE_BYTES = 18; // 144 bits, base64 without padding

/** An unpredictable, single-use nonce (Web Crypto: works on the edge and in Node). */
export function generateNonce(): string {
  const bytes = new Uint8Array(NONCE_BYTES);
  crypto.getRandomValues(bytes);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

// base64 characters only: anything else could break out of the directive.
const NONCE_SHAPE = /^[A-Za-z0-9+/]{16,}={0,2}$/;

export function buildCsp({ nonce, dev, https }: SecurityHeaderOptions): string {
  if (!NONCE_SHAPE.test(nonce)) throw new Error("buildCsp: the nonce must be base64");
  const n = `'nonce-${nonce}'`;
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    // 'strict-dynamic': scripts loaded by a nonced script are trusted, everything else is not;
    // 'self' is then ignored by CSP3 browsers and only helps very old ones. No 'unsafe-inline'.
    ["script-src", "'self'", n, "'strict-dynamic'", ...(dev ? ["'unsafe-eval'"] : [])],
    // Stylesheets and <style> elements need the nonce (Next.js adds it to the ones it emits).
    // In development the error overlay injects un-nonced styles, so only there 'unsafe-inline'.
    ["style-src", "'self'", dev ? "'unsafe-inline'" : n],
    ["img-src", "'self'", "data:", "blob:"],
    ["font-src", "'self'"],
    ["connect-src", "'self'", ...(dev ? ["ws:", "wss:"] : [])],
    ["manifest-src", "'self'"],
    ["worker-src", "'self'"],
    ["frame-src", "'none'"],
    ["object-src", "'none'"],
    ["base-uri", "'none'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
  ];
  const parts = directives.map((d) => d.join(" "));
  // On plain HTTP this would rewrite our own asset URLs to https and break the page.
  if (https) parts.push("upgrade-insecure-requests");
  return parts.join("; ");
}

export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Security-Policy": buildCsp(options),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    // Legacy twin of frame-ancestors for browsers without CSP level 2.
    "X-Frame-Options": "DENY",
    "Permissions-Policy":
      "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  // Browsers ignore HSTS received over plain HTTP (RFC 6797 §8.1), so only send it on HTTPS.
  if (options.https)
    headers["Strict-Transport-Security"] = `max-age=${HSTS_MAX_AGE}; includeSubDomains`;
  return headers;
}

/**
 * Whether the client reached us over HTTPS. Behind a TLS-terminating proxy the connection to
 * Next is plain HTTP and only X-Forwarded-Proto tells; the proxy must overwrite that header
 * (docs/operations.md). AUTH_URL with https means the canonical address is HTTPS.
 */
export function isHttpsRequest(
  headers: Headers,
  url: URL,
  authUrl: string | undefined = undefined,
): boolean {
  const forwarded = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === "https";
  if (url.protocol === "https:") return true;
  return Boolean(authUrl && authUrl.toLowerCase().startsWith("https://"));
}

/**
 * With TESSERA_FORCE_HTTPS=1, where a plain-HTTP request must go instead (null = serve it).
 * Only X-Forwarded-Proto / the URL decide here, not AUTH_URL: a request that says it came over
 * HTTP did. The host comes from AUTH_URL when set, so a forged Host header cannot point the
 * redirect elsewhere.
 */
export function httpsRedirectTarget(
  headers: Headers,
  url: URL,
  authUrl: string | undefined = undefined,
): URL | null {
  const forwarded = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  const https = forwarded ? forwarded === "https" : url.protocol === "https:";
  if (https) return null;
  // Setting `host` without a port would keep the old one (e.g. :3000): set both parts.
  let host: string | undefined;
  if (authUrl) host = new URL(authUrl).host;
  else
    host =
      // Host first: proxies pass the public one (docs/operations.md), while `next start` fills
      // a missing X-Forwarded-Host with its own idea of the host (seen: "localhost:<port>").
      headers.get("host") || headers.get("x-forwarded-host")?.split(",")[0]?.trim() || url.host;
  const parsed = new URL(`https://${host}`);
  const target = new URL(url.pathname + url.search, "https://placeholder.invalid");
  target.hostname = parsed.hostname;
  target.port = parsed.port === "80" ? "" : parsed.port;
  return target;
}

// A host name or address with an optional port; nothing that could break out of a URL.
const HOST_SHAPE =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The origin the browser used, for absolute redirects: AUTH_URL when set, else the
 * X-Forwarded-Proto/-Host that scripts/server.ts derived from the socket and TRUSTED_PROXIES
 * (it overwrites whatever the client sent), else the request URL.
 */
export function publicOrigin(headers: Headers, url: URL, authUrl: string | undefined): string {
  if (authUrl) return new URL(authUrl).origin;
  const proto = headers.get("x-forwarded-proto");
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  if ((proto === "http" || proto === "https") && host && HOST_SHAPE.test(host)) {
    return `${proto}://${host}`;
  }
  return url.origin;
}

/**
 * Whether a state-changing request (a POST to a route handler) comes from our own pages: the
 * Origin header must be present and equal the public origin (publicOrigin above), and a
 * Sec-Fetch-Site header, when the browser sends one, must say same-origin. Server actions get
 * the same check from Next.js itself; route handlers do not.
 */
export function isSameOriginRequest(
  headers: Headers,
  url: URL,
  authUrl: string | undefined,
): boolean {
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin") return false;
  const origin = headers.get("origin");
  return Boolean(origin) && origin === publicOrigin(headers, url, authUrl);
}

/**
 * The policy of a served attachment (lib/attachments/http.ts): opened directly, it runs in a
 * sandbox (no scripts, no forms, an opaque origin). The middleware puts it on those responses in
 * place of the page policy, which would otherwise overwrite it.
 */
export const ATTACHMENT_CSP =
  "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";
const ATTACHMENT_PATH = /^\/api\/attachments\/[^/]+(?:\/thumbnail)?$/;

export function isAttachmentPath(pathname: string): boolean {
  return ATTACHMENT_PATH.test(pathname);
}
