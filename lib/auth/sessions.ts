import "server-only";
// Ending sessions (docs/decisions/005-session-revocation.md). A JWT cannot be revoked by itself:
// each carries its user's sessionVersion, and the guards refuse one whose version is no longer
// current. Bumping it ends every session of that user, on every device, at their next request.
// revokeSessions is the one way to do it: sign-out, sign out everywhere, password change and
// reset, role and status changes, MFA reset, turning MFA on.
import { recordAudit } from "@/lib/audit";
import { db, type Tx } from "@/lib/db";
import { getRequestContext } from "@/lib/request-context";
import { securityEvent } from "@/lib/security/events";
import type { ServiceContext } from "@/lib/service-context";

export type RevocationReason =
  | "sign_out"
  | "sign_out_everywhere"
  | "password_change"
  | "password_reset"
  | "role_change"
  | "deactivation"
  | "reactivation"
  | "mfa_reset"
  | "mfa_enable";

/**
 * Ends every session of `userId` inside the caller's transaction (the change that calls for it
 * commits with it): bumps sessionVersion and queues "auth.sessions_revoked" (whose, by whom,
 * why). Returns the versions before and after, for the caller's audit event.
 */
export async function revokeSessions(
  tx: Tx,
  ctx: ServiceContext,
  userId: string,
  reason: RevocationReason,
): Promise<{ before: number; after: number }> {
  const { sessionVersion } = await tx.user.update({
    where: { id: userId },
    data: { sessionVersion: { increment: 1 } },
    select: { sessionVersion: true },
  });
  await securityEvent("auth.sessions_revoked", { userId, by: ctx.actor.id, reason }, { tx });
  return { before: sessionVersion - 1, after: sessionVersion };
}

/**
 * The actor's own sign-out ("auth.sign_out") or "sign out everywhere"
 * ("auth.sign_out_everywhere"): the same revocation, since a sign-out must also end requests
 * still in flight that would set the old cookie again. Audited with the versions.
 */
export async function endOwnSessions(
  ctx: ServiceContext,
  action: "auth.sign_out" | "auth.sign_out_everywhere",
): Promise<void> {
  const reason = action === "auth.sign_out" ? "sign_out" : "sign_out_everywhere";
  await db.$transaction(async (tx) => {
    const versions = await revokeSessions(tx, ctx, ctx.actor.id, reason);
    await recordAudit(tx, {
      actor: ctx.actor,
      action,
      entityType: "User",
      entityId: ctx.actor.id,
      outcome: "SUCCESS",
      before: { sessionVersion: versions.before },
      after: { sessionVersion: versions.after },
      context: ctx.request,
    });
  });
}

/**
 * Auth.js's signOut event (after its CSRF check passed, for every sign-out: the HTTP endpoint and
 * signOut() in server actions): ends the sessions of the token's user unless they already ended
 * (the app's sign-out action revokes first, so its token's version is stale here).
 */
export async function endSessionsOnSignOut(token: { uid?: unknown; sv?: unknown } | null) {
  if (typeof token?.uid !== "string") return;
  const user = await db.user.findUnique({
    where: { id: token.uid },
    select: { id: true, email: true, name: true, role: true, sessionVersion: true, active: true },
  });
  // Only a session the guards would still accept (a deactivated account's was already refused).
  if (!user?.active || user.sessionVersion !== (typeof token.sv === "number" ? token.sv : 0)) {
    return;
  }
  await endOwnSessions({ actor: user, request: await getRequestContext() }, "auth.sign_out");
}
