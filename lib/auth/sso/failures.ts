import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { db } from "@/lib/db";
import { recordAuditStandalone } from "@/lib/audit";
import { requestContextFrom } from "@/lib/request-context";
import { SSO_CHANNEL } from "@/lib/auth/sso/sign-in";
import { SSO_PROVIDER_ID } from "@/lib/auth/sso/config";
import { failureReason } from "@/lib/auth/sso/failure-reason";

// A callback Auth.js itself rejects (the ID token's audience, expiry, signature, issuer or nonce
// is wrong; the state or PKCE check fails; the provider answers an error) never reaches the
// signIn callback: it ends as a redirect to /login?error=…. The route wrapper below audits it as
// a failed `auth.sign_in` (method "oidc") with a reason taken from the error Auth.js logged.

const CALLBACK_PATH = `/api/auth/callback/${SSO_PROVIDER_ID}`;
const errors = new AsyncLocalStorage<string[]>();

/** Every message in an error's cause chain (Auth.js wraps the oauth4webapi error). */
function messagesOf(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== "object" || depth > 4) return [];
  const e = error as {
    message?: unknown;
    cause?: unknown;
    error?: unknown;
    error_description?: unknown;
  };
  // oauth4webapi's ResponseBodyError carries the provider's OAuth error and description.
  const own = [e.message, e.error, e.error_description].filter(
    (m): m is string => typeof m === "string" && m.length > 0,
  );
  const cause = e.cause as { err?: unknown } | undefined;
  return [...own, ...messagesOf(cause?.err ?? cause, depth + 1)];
}

/** Called by Auth.js's logger (lib/auth/index.ts): kept for the audit of this request, if any. */
export function noteAuthError(error: unknown): void {
  errors.getStore()?.push(...messagesOf(error));
}

/** Wraps Auth.js's GET handler: an SSO callback that ends on the login page's error is audited. */
export function withSsoFailureAudit<R extends Request>(
  handler: (request: R) => Promise<Response>,
): (request: R) => Promise<Response> {
  return async (request: R) => {
    if (new URL(request.url).pathname !== CALLBACK_PATH) return handler(request);
    const seen: string[] = [];
    const response = await errors.run(seen, () => handler(request));
    const location = response.headers.get("location");
    if (!location) return response;
    const target = new URL(location, request.url);
    const error = target.searchParams.get("error");
    if (target.pathname !== "/login" || !error) return response;
    await recordAuditStandalone(db, {
      actor: null,
      action: "auth.sign_in",
      entityType: "User",
      entityId: null,
      outcome: "FAILED",
      metadata: {
        method: "oidc",
        reason: failureReason(seen),
        error,
        detail: seen.join(" | ").slice(0, 500) || null,
      },
      context: { ...requestContextFrom(request.headers), channel: SSO_CHANNEL },
    });
    return response;
  };
}
