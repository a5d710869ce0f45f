// The HTTP server in front of Next.js (a Next "custom server"), started by scripts/start.ts as
// `node --import tsx scripts/server.ts` (`--dev` for next dev). It is the one place that sees
// the TCP socket, so it decides who the client is and rewrites the request headers before Next,
// Auth.js, the middleware or our code read them:
//
// - X-Forwarded-For / -Host / -Proto and Host are replaced by the client as
//   canonicalizeHeaders (lib/security/client-address.ts) resolves it from the socket and
//   TRUSTED_PROXIES (without it: the socket address, the Host header and plain HTTP; whatever
//   the client sent is dropped). Forwarded and X-Real-IP are removed. Downstream code may
//   therefore read X-Forwarded-For as a fact.
// - X-Request-Id is always ours (a fresh UUID); a client's value is kept, cleaned, as
//   X-Client-Request-Id for logs only.
// - TRACE, TRACK and CONNECT answer 405 with the security headers: Next's WHATWG Request cannot
//   represent them and used to answer 500 without headers.
// - SIGTERM/SIGINT stop it gracefully (gracefulStop below).
// Environment: PORT, TESSERA_BIND_HOST (set by start.ts), TRUSTED_PROXIES,
// TESSERA_SHUTDOWN_DRAIN_MS, TESSERA_SHUTDOWN_TIMEOUT_MS.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import next from "next";
import { appRouteLabeler, recordHttpRequest } from "../lib/metrics/http";
import { canonicalizeHeaders, parseTrustedProxies } from "../lib/security/client-address";
import { generateNonce, securityHeaders } from "../lib/security/headers";
import { beginShutdown, runShutdownHooks } from "../lib/shutdown";

const DEV = process.argv.includes("--dev");

const REFUSED_METHODS = new Set(["TRACE", "TRACK", "CONNECT"]);

function refuse(res: ServerResponse, status: number, https: boolean, allow?: string): void {
  const headers: Record<string, string> = {
    ...securityHeaders({ nonce: generateNonce(), dev: DEV, https }),
    "Content-Type": "text/plain; charset=utf-8",
    "Cache-Control": "no-store",
    Connection: "close",
  };
  if (allow) headers.Allow = allow;
  res.writeHead(status, headers);
  res.end(status === 405 ? "Method Not Allowed\n" : "Bad Request\n");
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const hostname = process.env.TESSERA_BIND_HOST || "127.0.0.1";
  const trust = parseTrustedProxies(process.env.TRUSTED_PROXIES);

  const server = createServer();
  const app = next({ dev: DEV, hostname, port, httpServer: server });
  const handle = app.getRequestHandler();
  await app.prepare();

  const routeLabel = appRouteLabeler(); // Prometheus metrics per route pattern (lib/metrics)
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    recordHttpRequest(req, res, routeLabel);
    const hasHost = canonicalizeHeaders(
      req.headers,
      {
        peer: req.socket.remoteAddress,
        encrypted: Boolean((req.socket as Socket & { encrypted?: boolean }).encrypted),
      },
      trust,
    );
    const https = req.headers["x-forwarded-proto"] === "https";
    if (REFUSED_METHODS.has((req.method ?? "").toUpperCase())) {
      return refuse(res, 405, https, "GET, HEAD, POST");
    }
    if (!hasHost) return refuse(res, 400, https);
    void handle(req, res);
  });
  // CONNECT never reaches "request"; without a listener Node would just drop the socket.
  server.on("connect", (_req: IncomingMessage, socket: Socket) => {
    socket.end(
      "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD, POST\r\nConnection: close\r\n\r\n",
    );
  });
  // Requests Node's parser refuses before there is a request (an unknown method such as TRACK,
  // a malformed line, oversized headers): the same answer Node gives, plus the security headers.
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === "ECONNRESET" || !socket.writable) return socket.destroy();
    const status =
      err.code === "HPE_HEADER_OVERFLOW"
        ? "431 Request Header Fields Too Large"
        : "400 Bad Request";
    const headers = securityHeaders({ nonce: generateNonce(), dev: DEV, https: false });
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
    socket.end(
      `HTTP/1.1 ${status}\r\n${lines.join("\r\n")}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Connection: close\r\n\r\n${status}\n`,
    );
  });
  server.listen(port, hostname);

  const stopping = gracefulStop(server, () => app.close());
  process.on("SIGTERM", () => stopping(143));
  process.on("SIGINT", () => stopping(130));
}

/**
 * SIGTERM/SIGINT: readiness answers 503 at once and responses close their connection; after
 * TESSERA_SHUTDOWN_DRAIN_MS (default 0: the load balancer's time to notice) new connections are
 * refused; requests in flight get up to TESSERA_SHUTDOWN_TIMEOUT_MS (10 s) to finish; then the
 * background jobs stop and the database pool closes (lib/shutdown.ts hooks). Exits like
 * `next start` after a requested stop (128 + signal): start.ts reads it so. A second signal
 * (a terminal's Ctrl-C reaches the whole process group, and start.ts forwards it) changes nothing.
 */
function gracefulStop(server: Server, closeApp: () => Promise<void>) {
  const drainMs = Number(process.env.TESSERA_SHUTDOWN_DRAIN_MS) || 0;
  const timeoutMs = Number(process.env.TESSERA_SHUTDOWN_TIMEOUT_MS) || 10_000;
  const say = (line: string) => console.log(`[tessera] ${line}`);
  let started = false;
  return async (code: number) => {
    if (started) return;
    started = true;
    beginShutdown();
    server.prependListener("request", (_req: IncomingMessage, res: ServerResponse) => {
      res.setHeader("Connection", "close");
    });
    say(`stopping: draining for ${drainMs} ms, then up to ${timeoutMs} ms for requests in flight`);
    setTimeout(
      () => {
        say("stopping: did not finish within the time allowed; exiting anyway");
        process.exit(code);
      },
      drainMs + timeoutMs + 4_000,
    ).unref();
    if (drainMs > 0) await new Promise((r) => setTimeout(r, drainMs));
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // A keep-alive connection whose request finished after the close is idle now: close it.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    const timedOut = await Promise.race([
      closed.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), timeoutMs).unref()),
    ]);
    clearInterval(sweep);
    if (timedOut) {
      say("stopping: requests still in flight after the timeout; closing them");
      server.closeAllConnections();
    } else say("stopping: no request in flight");
    await closeApp().catch(() => {});
    await runShutdownHooks(say, 3_000);
    process.exit(code);
  };
}

main().catch((err: unknown) => {
  console.error(`[tessera] server failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
