import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { cookies, headers } from "next/headers";
import { db, type Db, type Tx } from "@/lib/db";
import { recordAudit, recordAuditStandalone } from "@/lib/audit";
import { ForbiddenError, RateLimitedError, ValidationError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import {
  Limiter,
  rateLimitStore,
  RateLimitStoreError,
  ThrottleUnavailableError,
} from "@/lib/rate-limit";
import { rateLimitConfig } from "@/lib/rate-limit/config";
import type { ServiceContext } from "@/lib/service-context";
import { verifyPassword } from "@/lib/auth/password";

// Fresh password confirmation ("sudo mode") before sensitive admin actions: changing a role,
// deactivating or reactivating an account, resetting someone's password, creating an admin.
// The time is recorded in the database (database clock) together with the sha256 of a random
// token that only this browser holds in an HttpOnly cookie: the cookie alone proves nothing once
// the window has passed, and a confirmation given in one browser does not unlock another.
// See docs/decisions/007-admin-guards.md.

export const REAUTH_COOKIE = "tessera-reauth";
export const REAUTH_WINDOW_MINUTES = 15;
/** Failed confirmations allowed per admin within the window before further tries are refused. */
export const REAUTH_MAX_FAILURES = rateLimitConfig().reauth.limit;

export const REAUTH_REQUIRED_MESSAGE =
  "Confirm your password first: this change needs a password confirmation from the last 15 minutes.";

export function hashReauthToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * Checks the admin's password and, when right, records a fresh confirmation. Returns the token
 * to put in the cookie. Wrong passwords are audited as FAILED and throttled per account.
 */
export async function confirmPassword(
  ctx: ServiceContext,
  input: { password: string },
): Promise<{ token: string }> {
  const { actor } = ctx;
  // Each attempt takes its point atomically BEFORE bcrypt (a right password gives it back): of
  // a parallel burst, only the first REAUTH_MAX_FAILURES are ever compared. Counting audit rows
  // first and comparing after let every request of a burst read "no failures yet".
  const limiter = new Limiter(rateLimitStore(), rateLimitConfig().reauth);
  try {
    const decision = await limiter.consume(actor.id);
    if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds);
  } catch (error) {
    if (!(error instanceof RateLimitStoreError)) throw error;
    logger.error({ event: "rate_limit_store_down", rule: "reauth", err: error }, error.message);
    throw new ThrottleUnavailableError();
  }
  const user = await db.user.findUnique({
    where: { id: actor.id },
    omit: { passwordHash: false },
  });
  if (!user?.active) throw new ForbiddenError();
  if (!(await verifyPassword(input.password, user.passwordHash))) {
    await recordAuditStandalone(db, {
      actor,
      action: "auth.reauth",
      entityType: "User",
      entityId: actor.id,
      outcome: "FAILED",
      metadata: { reason: "wrong_password" },
      context: ctx.request,
    });
    const message = "That is not your password.";
    throw new ValidationError(message, { password: [message] });
  }
  await limiter
    .refund(actor.id)
    .catch((err: unknown) =>
      logger.error({ event: "rate_limit_store_down", err }, "reauth refund"),
    );
  const token = randomBytes(32).toString("base64url");
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`
      UPDATE "User" SET "reauthenticatedAt" = now(), "reauthTokenHash" = ${hashReauthToken(token)}
      WHERE id = ${actor.id}`;
    await recordAudit(tx, {
      actor,
      action: "auth.reauth",
      entityType: "User",
      entityId: actor.id,
      outcome: "SUCCESS",
      context: ctx.request,
    });
  });
  return { token };
}

/** True when `token` matches this user's confirmation of the last 15 minutes (database time). */
export async function hasFreshConfirmation(
  client: Db | Tx,
  userId: string,
  token: string | null | undefined,
): Promise<boolean> {
  if (!token || token.length > 200) return false;
  const rows = await client.$queryRaw<{ ok: number }[]>`
    SELECT 1 AS ok FROM "User"
    WHERE id = ${userId} AND active AND "reauthTokenHash" = ${hashReauthToken(token)}
      AND "reauthenticatedAt" > now() - make_interval(mins => ${REAUTH_WINDOW_MINUTES})`;
  return rows.length === 1;
}

/** Throws ForbiddenError (audited as a refusal by the action wrapper) without a fresh confirmation. */
export async function requireFreshConfirmation(
  client: Db | Tx,
  userId: string,
  token: string | null | undefined,
): Promise<void> {
  if (!(await hasFreshConfirmation(client, userId, token))) {
    throw new ForbiddenError(REAUTH_REQUIRED_MESSAGE);
  }
}

/**
 * The admin services' check (ADR 025): this browser's fresh confirmation, or an API token that
 * holds "users:write" — creating such a token needed a fresh confirmation itself
 * (lib/api-tokens/service.ts), so an HR integration can deactivate and change roles. Granting
 * admin rights (a new or reactivated admin, a promotion) always needs the browser's: a leaked
 * token cannot make more admins.
 */
export async function requireConfirmation(
  client: Db | Tx,
  ctx: ServiceContext,
  options: { grantsAdmin?: boolean } = {},
): Promise<void> {
  if (!options.grantsAdmin && ctx.apiScopes?.includes("users:write")) return;
  await requireFreshConfirmation(client, ctx.actor.id, ctx.reauthToken);
}

/** The token of this browser's confirmation, if any (server actions and pages). */
export async function readReauthToken(): Promise<string | undefined> {
  return (await cookies()).get(REAUTH_COOKIE)?.value;
}

export async function setReauthCookie(token: string): Promise<void> {
  const h = await headers();
  const https =
    h.get("x-forwarded-proto") === "https" || (h.get("origin") ?? "").startsWith("https:");
  (await cookies()).set(REAUTH_COOKIE, token, {
    httpOnly: true,
    sameSite: "strict",
    secure: https,
    path: "/",
    maxAge: REAUTH_WINDOW_MINUTES * 60,
  });
}
