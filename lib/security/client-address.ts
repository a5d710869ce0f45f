// Who the client is: its address, the host it asked for and whether it used HTTPS, from the TCP
// socket and, only when the socket belongs to a trusted proxy, from X-Forwarded-For/-Host/-Proto.
// Used by the HTTP server in front of Next (scripts/server.ts), which overwrites those headers
// with the result before Next, Auth.js or our code read them (docs/operations.md, SECURITY.md).
// Node only (node:net); unit-tested in tests/unit/client-address.test.ts.
import { BlockList, isIP } from "node:net";

export type TrustedProxies =
  | { kind: "none" }
  /** Exactly `hops` proxies stand in front of the app, the nearest one is the socket's peer. */
  | { kind: "hops"; hops: number }
  /** Any hop whose address is in one of these ranges is a proxy we trust. */
  | { kind: "cidrs"; list: BlockList; text: string };

export const TRUSTED_PROXIES_HELP =
  "TRUSTED_PROXIES must be empty (no proxy: the socket address is the client), a number of " +
  "proxy hops (1-10), or a comma-separated list of proxy addresses or CIDR ranges " +
  "(e.g. 10.0.0.0/8,::1)";

/** Parses TRUSTED_PROXIES; throws with TRUSTED_PROXIES_HELP on anything else. */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const text = (value ?? "").trim();
  if (text === "" || text === "0") return { kind: "none" };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > 10) throw new Error(TRUSTED_PROXIES_HELP);
    return { kind: "hops", hops };
  }
  const list = new BlockList();
  for (const raw of text.split(",")) {
    const item = raw.trim();
    const [address = "", prefixText, ...rest] = item.split("/");
    const family = isIP(address);
    if (!family || rest.length > 0) throw new Error(`${TRUSTED_PROXIES_HELP}; got "${item}"`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefixText === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    if (!(prefix >= 0 && prefix <= (family === 4 ? 32 : 128))) {
      throw new Error(`${TRUSTED_PROXIES_HELP}; bad prefix in "${item}"`);
    }
    list.addSubnet(address, prefix, type);
  }
  return { kind: "cidrs", list, text };
}

/**
 * A bare IP address from a socket or an X-Forwarded-For entry, or null when it is not one.
 * Accepts `1.2.3.4:5678` and `[::1]:80`; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) becomes IPv4.
 */
export function normalizeIp(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  s = s.replace(/%.*$/, ""); // zone id (fe80::1%eth0)
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(s);
  if (mapped) s = mapped[1]!;
  const family = isIP(s);
  if (!family) return null;
  return family === 6 ? s.toLowerCase() : s;
}

function isTrusted(ip: string, trust: TrustedProxies): boolean {
  if (trust.kind === "hops") return true;
  if (trust.kind === "none") return false;
  return trust.list.check(ip, isIP(ip) === 4 ? "ipv4" : "ipv6");
}

function listOf(header: string | undefined): string[] {
  return (header ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
}

// A host name or address with an optional port; nothing that could break out of a URL.
const HOST_SHAPE =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function isValidHost(host: string | undefined | null): host is string {
  return Boolean(host && host.length <= 255 && HOST_SHAPE.test(host));
}

export type ClientInput = {
  /** req.socket.remoteAddress */
  peer: string | undefined | null;
  /** The TLS socket (a server that terminates TLS itself). */
  encrypted: boolean;
  host?: string;
  forwardedFor?: string;
  forwardedHost?: string;
  forwardedProto?: string;
};

export type ClientInfo = {
  ip: string | null;
  /** The public host the client asked for, or null when none is usable. */
  host: string | null;
  proto: "http" | "https";
  /** How many trusted proxies the request passed (0 = the peer is the client). */
  proxies: number;
};

/**
 * The client behind `proxies` trusted hops: walk X-Forwarded-For from the right (the peer, then
 * what each trusted proxy appended) and stop at the first address that is not a trusted proxy,
 * or after `hops` proxies. Entries to the left of that are the client's own words and ignored.
 * X-Forwarded-Host/-Proto: the value of the outermost trusted proxy (index length − proxies,
 * which is the only value when the proxies overwrite instead of appending).
 */
export function resolveClient(input: ClientInput, trust: TrustedProxies): ClientInfo {
  const peer = normalizeIp(input.peer);
  const direct: ClientInfo = {
    ip: peer,
    host: isValidHost(input.host) ? input.host : null,
    proto: input.encrypted ? "https" : "http",
    proxies: 0,
  };
  if (trust.kind === "none" || !peer || !isTrusted(peer, trust)) return direct;

  const chain = listOf(input.forwardedFor);
  let ip = peer;
  let passed = 0;
  const limit = trust.kind === "hops" ? trust.hops : Infinity;
  while (passed < limit && isTrusted(ip, trust)) {
    const raw = chain.pop();
    const next = normalizeIp(raw);
    // End of the list, or garbage where a trusted proxy should have written an address:
    // the nearest address we know is all we can say.
    if (!next) break;
    ip = next;
    passed += 1;
  }
  const proxies = Math.max(passed, 1);
  const pick = (values: string[]) => values[Math.max(0, values.length - proxies)];
  const fwdHost = pick(listOf(input.forwardedHost));
  const fwdProto = pick(listOf(input.forwardedProto))?.toLowerCase();
  return {
    ip,
    host: isValidHost(fwdHost) ? fwdHost : direct.host,
    proto: fwdProto === "https" || fwdProto === "http" ? fwdProto : direct.proto,
    proxies,
  };
}

/** Headers only the server in front of Next may set; a client's copies never reach Next. */
const REPLACED = [
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-forwarded-server",
  "forwarded",
  "x-real-ip",
  "x-request-id",
  "x-client-request-id",
];

type NodeHeaders = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Rewrites a Node request's headers in place (scripts/server.ts): X-Forwarded-For/-Host/-Proto
 * and Host become the resolved client, X-Request-Id a fresh UUID (the client's, cleaned, moves
 * to X-Client-Request-Id for logs), Forwarded/X-Real-IP go. Returns false when no usable host
 * is left (the server answers 400).
 */
export function canonicalizeHeaders(
  h: NodeHeaders,
  socket: { peer: string | undefined | null; encrypted: boolean },
  trust: TrustedProxies,
): boolean {
  const info = resolveClient(
    {
      peer: socket.peer,
      encrypted: socket.encrypted,
      host: first(h.host),
      forwardedFor: first(h["x-forwarded-for"]),
      forwardedHost: first(h["x-forwarded-host"]),
      forwardedProto: first(h["x-forwarded-proto"]),
    },
    trust,
  );
  const clientRequestId = first(h["x-request-id"])
    ?.replace(/[^A-Za-z0-9._-]/g, "")
    .slice(0, 64);
  for (const name of REPLACED) delete h[name];
  if (info.ip) h["x-forwarded-for"] = info.ip;
  h["x-forwarded-proto"] = info.proto;
  h["x-request-id"] = crypto.randomUUID();
  if (clientRequestId) h["x-client-request-id"] = clientRequestId;
  if (!info.host) return false;
  h.host = info.host;
  h["x-forwarded-host"] = info.host;
  const port = /:(\d+)$/.exec(info.host)?.[1];
  h["x-forwarded-port"] = port ?? (info.proto === "https" ? "443" : "80");
  return true;
}
