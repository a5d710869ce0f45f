import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { Registry } from "prom-client";
import type { Db } from "@/lib/db";
import { logger } from "@/lib/logger";
import { cachedDatabaseSnapshot, databaseRegistry } from "@/lib/metrics/database";
import { appMetrics } from "@/lib/metrics/registry";

// GET /api/metrics (docs/decisions/019-metrics.md): not public. Without TESSERA_METRICS_TOKEN it
// does not exist (404, as any unknown path); with it, only `Authorization: Bearer <token>` is
// answered, compared in constant time (both sides hashed first, so not even the length leaks).

export const METRICS_TOKEN_MIN_LENGTH = 32;

/** The configured token, or null (unset, or too short to be safe: then logged and disabled). */
export function metricsToken(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | null {
  const token = env.TESSERA_METRICS_TOKEN?.trim();
  if (!token) return null;
  if (token.length < METRICS_TOKEN_MIN_LENGTH) {
    logger.error(
      `TESSERA_METRICS_TOKEN must be at least ${METRICS_TOKEN_MIN_LENGTH} characters ` +
        "(`openssl rand -hex 32`); /api/metrics stays disabled",
    );
    return null;
  }
  return token;
}

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/** Does the Authorization header carry the token? */
export function authorizedForMetrics(authorization: string | null, token: string): boolean {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? "");
  return timingSafeEqual(digest(match?.[1] ?? ""), digest(token)); // 32 bytes each
}

const NO_STORE = { "Cache-Control": "no-store" };

/** The whole answer of the endpoint: 404, 401, or the exposition in Prometheus's text format. */
export async function metricsResponse(
  request: Request,
  db: Pick<Db, "$queryRaw">,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Response> {
  const token = metricsToken(env);
  if (!token) return new Response("Not Found\n", { status: 404, headers: NO_STORE });
  if (!authorizedForMetrics(request.headers.get("authorization"), token)) {
    return new Response("Unauthorized\n", {
      status: 401,
      headers: { ...NO_STORE, "WWW-Authenticate": 'Bearer realm="metrics"' },
    });
  }
  const { registry } = appMetrics();
  const merged = Registry.merge([registry, databaseRegistry(await cachedDatabaseSnapshot(db))]);
  return new Response(await merged.metrics(), {
    status: 200,
    headers: { ...NO_STORE, "Content-Type": merged.contentType },
  });
}
