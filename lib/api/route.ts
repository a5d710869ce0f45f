import "server-only";
// The one wrapper every REST API route goes through (ADR 026), the API's defineAction:
//   bearer token only (never the session cookie: no ambient credential, so no CSRF surface)
//   -> authenticateApiToken (the session's re-check: owner active, role still allows the scopes,
//      no password change or MFA enrollment due) -> per-token rate limit (429, Retry-After,
//      RateLimit-* headers) -> the operation's scope -> the role's permission (the same table)
//   -> params, query and body parsed with the operation's schemas (the forms' own)
//   -> the handler, which calls the same services as the server actions with a ServiceContext
//      whose request carries channel "api:<token id>" (every audit row says which token acted).
// Answers are JSON; failures RFC 9457 problem details (lib/api/problem.ts). Refusals (bad token,
// missing scope, permission) are audited like the action wrapper's, aggregated per window.
import { z } from "zod";
import {
  authenticateApiToken,
  type ApiPrincipal,
  type TokenRefusal,
} from "@/lib/api-tokens/authenticate";
import type { ApiOperation } from "@/lib/api/operations";
import { problemResponse, type ProblemStatus } from "@/lib/api/problem";
import { assertCan } from "@/lib/auth/permissions";
import type { AuditContext } from "@/lib/audit";
import {
  AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
} from "@/lib/errors";
import { requestLogger } from "@/lib/logger";
import { observeAction, type ActionOutcome } from "@/lib/metrics/registry";
import { rateLimitStore, ThrottleUnavailableError } from "@/lib/rate-limit";
import { rateLimitConfig } from "@/lib/rate-limit/config";
import { secondsFrom, storeKey } from "@/lib/rate-limit/limiter";
import { RateLimitStoreError } from "@/lib/rate-limit/types";
import { requestContextFrom, type RequestContext } from "@/lib/request-context";
import { recordRefusal } from "@/lib/security/refusals";
import type { ServiceContext } from "@/lib/service-context";

/** JSON bodies above this are refused (413) before parsing: a ticket's text is 20,000 characters. */
export const MAX_JSON_BYTES = 256 * 1024;

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export type ApiInput<O extends ApiOperation> = {
  params: Out<O["params"]>;
  query: Out<O["query"]>;
  body: Out<O["body"]>;
};

export type ApiContext = {
  principal: ApiPrincipal;
  /** What every service takes: the re-read owner as actor, the request with the token's channel. */
  service: ServiceContext & { request: AuditContext & RequestContext };
  request: Request;
};

type RouteContext = { params?: Promise<Record<string, string | string[] | undefined>> };

/** The reason of a refusal in the audit trail: the token's, or the wrapper's own. */
type RefusalReason = TokenRefusal | "missing_scope" | "forbidden" | "unauthenticated";

class ApiProblem extends Error {
  constructor(
    readonly status: ProblemStatus,
    readonly detail?: string,
    readonly errors?: Record<string, string[]>,
  ) {
    super(detail ?? String(status));
  }
}

function toJson(data: unknown): string {
  return JSON.stringify(data, (_key, value) =>
    typeof value === "bigint" ? value.toString() : value,
  );
}

export function jsonResponse(data: unknown, status = 200, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set("content-type", "application/json");
  h.set("cache-control", "no-store");
  return new Response(toJson(data), { status, headers: h });
}

/** Field errors as the forms show them: path joined with ".", the form-level ones under "". */
function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".");
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** Parses with a form's schema inside a handler; a failure is a 422 with the field errors. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  where = "body",
): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ApiProblem(422, `The ${where} is not valid.`, fieldErrorsOf(parsed.error));
}

/** The query string as the forms' URL schemas take it: repeated keys become arrays. */
function queryRecord(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

/** The body as JSON, read up to MAX_JSON_BYTES whatever Content-Length claims. */
async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) throw new ApiProblem(415);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_JSON_BYTES) throw new ApiProblem(413, `At most ${MAX_JSON_BYTES} bytes.`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_JSON_BYTES) {
        await reader.cancel().catch(() => {});
        throw new ApiProblem(413, `At most ${MAX_JSON_BYTES} bytes.`);
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiProblem(400, "The body is not valid JSON.");
  }
}

async function auditApiRefusal(
  op: ApiOperation,
  user: ApiPrincipal["user"] | null,
  context: AuditContext & RequestContext,
  reason: RefusalReason,
): Promise<void> {
  try {
    await recordRefusal({
      // Aggregated per window like the action wrapper's: per user, or (no valid token) per ip.
      key: ["refused", op.name, reason, user ? `u:${user.id}` : `ip:${context.ip ?? "-"}`],
      audit: {
        actor: user,
        action: op.name,
        entityType: "Action",
        entityId: null,
        outcome: "REFUSED",
        metadata: { reason },
        context,
      },
      alert: {
        type: "access.refused",
        fields: {
          action: op.name,
          reason,
          userId: user?.id ?? null,
          role: user?.role ?? null,
          ...context,
        },
      },
    });
  } catch (error) {
    requestLogger(context.requestId, { action: op.name }).error(
      { err: error },
      "audit of refusal failed",
    );
  }
}

type RateState = { limit: number; remaining: number; resetSeconds: number; over: boolean } | null;

/** The token's window: a point per request (fixed window, lib/rate-limit). Fails open. */
async function consumeRate(tokenId: string, requestId: string): Promise<RateState> {
  const rule = rateLimitConfig().apiToken;
  try {
    const counter = await rateLimitStore().hit(
      storeKey(rule.name, tokenId),
      1,
      rule.windowSeconds * 1000,
    );
    return {
      limit: rule.limit,
      remaining: Math.max(0, rule.limit - counter.count),
      resetSeconds: secondsFrom(counter),
      over: counter.count > rule.limit,
    };
  } catch (error) {
    if (!(error instanceof RateLimitStoreError)) throw error;
    // The API keeps working when the limiter's store is down, as ticket creation does.
    requestLogger(requestId, { route: "api" }).error(
      { event: "rate_limit_store_down", rule: rule.name, err: error },
      error.message,
    );
    return null;
  }
}

function rateHeaders(rate: RateState): Record<string, string> {
  if (!rate) return {};
  return {
    "ratelimit-limit": String(rate.limit),
    "ratelimit-remaining": String(rate.remaining),
    "ratelimit-reset": String(rate.resetSeconds),
  };
}

/**
 * A route handler for `op`: `export const GET = apiRoute(API_OPERATIONS["tickets.list"], ...)`.
 * The handler returns data (sent as JSON, 201 for `created` operations) or a Response.
 */
export function apiRoute<O extends ApiOperation>(
  op: O,
  handler: (input: ApiInput<O>, ctx: ApiContext) => Promise<unknown>,
) {
  return async function handle(request: Request, route: RouteContext = {}): Promise<Response> {
    const started = process.hrtime.bigint();
    const base = requestContextFrom(request.headers);
    const log = requestLogger(base.requestId, { action: op.name });
    let outcome: ActionOutcome = "ok";
    let headers: Record<string, string> = { "x-request-id": base.requestId };
    let principal: ApiPrincipal | null = null;
    let context: AuditContext & RequestContext = base;
    const fail = (status: ProblemStatus, detail?: string, errors?: Record<string, string[]>) =>
      problemResponse(status, base.requestId, { detail, errors, headers });
    try {
      // 1. The bearer token, and nothing else (a session cookie is ignored).
      const auth = await authenticateApiToken(request.headers.get("authorization"), base.ip);
      if (!auth.ok) {
        outcome = "refused";
        await auditApiRefusal(op, null, base, auth.reason);
        return fail(401);
      }
      principal = auth.principal;
      context = { ...base, channel: principal.channel };

      // 2. Per token, not per address: one integration behind a NAT does not starve another.
      const rate = await consumeRate(principal.token.id, base.requestId);
      headers = { ...headers, ...rateHeaders(rate) };
      if (rate?.over) {
        outcome = "refused";
        log.warn({ event: "rate_limited", tokenId: principal.token.id }, "API rate limit reached");
        headers["retry-after"] = String(rate.resetSeconds);
        return fail(429, `Try again in ${rate.resetSeconds} seconds.`);
      }

      // 3. The scope, then 4. the role (re-read on this request) through the one table.
      if (op.scope && !principal.token.scopes.includes(op.scope)) {
        outcome = "refused";
        await auditApiRefusal(op, principal.user, context, "missing_scope");
        return fail(403, `This token lacks the "${op.scope}" scope.`);
      }
      if (op.permission) assertCan(principal.user, op.permission);

      // 5. Input, with the forms' schemas.
      const rawParams = (await route.params) ?? {};
      const input = {
        params: op.params ? parseWith(op.params, rawParams, "path") : undefined,
        query: op.query
          ? parseWith(op.query, queryRecord(new URL(request.url)), "query string")
          : undefined,
        body: op.body ? parseWith(op.body, await readJson(request), "body") : undefined,
      } as ApiInput<O>;

      // 6. The service, as the server action would call it.
      const result = await handler(input, {
        principal,
        service: {
          actor: principal.user,
          request: context,
          apiScopes: principal.token.scopes,
        },
        request,
      });
      if (result instanceof Response) {
        for (const [k, v] of Object.entries(headers)) result.headers.set(k, v);
        return result;
      }
      return jsonResponse(result, op.created ? 201 : 200, headers);
    } catch (error) {
      if (error instanceof ApiProblem) {
        outcome = "invalid";
        return fail(error.status, error.detail, error.errors);
      }
      if (error instanceof ForbiddenError || error instanceof UnauthenticatedError) {
        outcome = "refused";
        await auditApiRefusal(op, principal?.user ?? null, context, "forbidden");
        return fail(403, error.message);
      }
      if (error instanceof NotFoundError) {
        outcome = "rejected";
        return fail(404, error.message);
      }
      if (error instanceof ConflictError) {
        outcome = "rejected";
        return fail(409, error.message);
      }
      if (error instanceof RateLimitedError) {
        outcome = "refused";
        headers["retry-after"] = String(error.retryAfterSeconds);
        return fail(429, error.message);
      }
      if (error instanceof ThrottleUnavailableError) {
        outcome = "error";
        return fail(503, error.message);
      }
      if (error instanceof ValidationError || error instanceof AppError) {
        outcome = "rejected";
        return fail(422, error.message, error.fieldErrors);
      }
      outcome = "error";
      log.error(
        { err: error, userId: principal?.user.id, tokenId: principal?.token.id },
        "API request failed",
      );
      return fail(500, `Quote request id ${base.requestId} to your administrator.`);
    } finally {
      observeAction(op.name, outcome, started);
    }
  };
}
