// One webhook POST (ADR 027): to the address the SSRF rule checked (lib/webhooks/ssrf.ts), with
// the signature headers, a 10 s limit for the whole exchange, redirects NOT followed (a 3xx is a
// failure), and only the first few KB of the answer read. node:http/https, no fetch: its lookup
// option pins the connection to the checked address while TLS still verifies the host name.
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { resolveDestination, type Destination } from "@/lib/webhooks/ssrf";

export const WEBHOOK_TIMEOUT_MS = 10_000;
export const RESPONSE_EXCERPT_BYTES = 2048;

export type SendResult = {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  excerpt: string | null;
  durationMs: number;
};

/** A lookup that answers only with the checked addresses (all of them for happy eyeballs). */
function pinnedLookup(destinations: Destination[]): LookupFunction {
  return ((
    _hostname: string,
    options: { all?: boolean },
    callback: (err: Error | null, address: unknown, family?: number) => void,
  ) => {
    if (options?.all) callback(null, destinations);
    else callback(null, destinations[0]!.address, destinations[0]!.family);
  }) as unknown as LookupFunction;
}

export async function postWebhook(input: {
  url: string;
  body: string;
  headers: Record<string, string>;
  allowPrivate: boolean;
  timeoutMs?: number;
}): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(input.url);
  let destinations: Destination[];
  try {
    destinations = await resolveDestination(url.hostname, input.allowPrivate);
  } catch (err) {
    return failure((err as Error).message, null, null, elapsed());
  }
  const client = url.protocol === "https:" ? https : http;
  const timeoutMs = input.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = client.request(
      url,
      {
        method: "POST",
        lookup: pinnedLookup(destinations),
        headers: {
          ...input.headers,
          "Content-Length": String(Buffer.byteLength(input.body)),
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const status = res.statusCode ?? 0;
          const excerpt = Buffer.concat(chunks)
            .subarray(0, RESPONSE_EXCERPT_BYTES)
            .toString("utf8");
          const ok = status >= 200 && status < 300;
          const error = ok
            ? null
            : status >= 300 && status < 400
              ? `Redirect (${status}) not followed${res.headers.location ? ` to ${String(res.headers.location).slice(0, 200)}` : ""}.`
              : `The receiver answered ${status}.`;
          finish({
            ok,
            statusCode: status,
            error,
            excerpt: excerpt || null,
            durationMs: elapsed(),
          });
          req.destroy();
        };
        res.on("data", (chunk: Buffer) => {
          if (size < RESPONSE_EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
          if (size >= RESPONSE_EXCERPT_BYTES) done(); // enough: the rest is not read
        });
        res.on("end", done);
        res.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      finish(failure(`No answer within ${timeoutMs / 1000} s.`, null, null, elapsed()));
      req.destroy();
    }, timeoutMs);
    req.on("error", (err) =>
      finish(failure(`Could not deliver: ${err.message}`, null, null, elapsed())),
    );
    req.end(input.body);
  });
}

function failure(
  error: string,
  statusCode: number | null,
  excerpt: string | null,
  durationMs: number,
): SendResult {
  return { ok: false, statusCode, error, excerpt, durationMs };
}
