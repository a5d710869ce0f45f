// REST API test support (lib/api): a token row written directly (the token helper's services
// make them in the app; here only its shape matters), and a request to a route handler as a
// client with that token would send it, through the real wrapper, database and audit.
import type { Db } from "@/lib/db";
import { displayPrefix, generateToken, hashToken } from "@/lib/api-tokens/format";
import type { ApiScope } from "@/lib/api-tokens/scopes";
import { API_SCOPE_NAMES } from "@/lib/api-tokens/scopes";
import { uniqueSuffix } from "@/tests/support/factories";
import { testIp } from "@/tests/support/request";

export type TestToken = { id: string; token: string; userId: string; scopes: ApiScope[] };

/** A token of `userId` with `scopes` (default: every scope), optionally expired or revoked. */
export async function makeApiToken(
  db: Db,
  userId: string,
  options: { scopes?: readonly ApiScope[]; expiresAt?: Date | null; revokedAt?: Date | null } = {},
): Promise<TestToken> {
  const token = generateToken();
  const scopes = [...(options.scopes ?? API_SCOPE_NAMES)];
  const row = await db.apiToken.create({
    data: {
      userId,
      name: `test token ${uniqueSuffix()}`,
      prefix: displayPrefix(token),
      secretHash: hashToken(token),
      scopes,
      expiresAt: options.expiresAt ?? null,
      revokedAt: options.revokedAt ?? null,
    },
    select: { id: true },
  });
  return { id: row.id, token, userId, scopes };
}

type Handler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;

export type ApiCall = {
  token?: string | null;
  method?: string;
  /** Path under /api/v1 with its query string, e.g. "/tickets?status=OPEN". */
  path: string;
  params?: Record<string, string>;
  body?: unknown;
  /** A body sent as it is (not JSON-encoded), with its own content type. */
  rawBody?: { text: string; contentType: string };
  requestId?: string;
  ip?: string;
  headers?: Record<string, string>;
};

/** Calls an exported route handler with a real Request, as Next would after the middleware. */
export async function callApi(
  handler: Handler,
  call: ApiCall,
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> | null }> {
  const headers = new Headers({
    host: "localhost:3000",
    "x-forwarded-for": call.ip ?? testIp(),
    "x-request-id": call.requestId ?? `api-${uniqueSuffix()}`,
    "user-agent": "vitest-api",
    ...call.headers,
  });
  if (call.token) headers.set("authorization", `Bearer ${call.token}`);
  let body: string | undefined;
  if (call.rawBody) {
    body = call.rawBody.text;
    headers.set("content-type", call.rawBody.contentType);
  } else if (call.body !== undefined) {
    body = JSON.stringify(call.body);
    headers.set("content-type", "application/json");
  }
  const request = new Request(`http://localhost:3000/api/v1${call.path}`, {
    method: call.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
  });
  const response = await handler(request, { params: Promise.resolve(call.params ?? {}) });
  const text = await response.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, json };
}
