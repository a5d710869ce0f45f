import "server-only";
// One's own account: the password change. The context's actor is the account; the action
// (changePasswordAction) rate-limits it first, since it is a password oracle.
import { db } from "@/lib/db";
import { recordAudit, recordAuditStandalone } from "@/lib/audit";
import { revokeSessions } from "@/lib/auth/sessions";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { PasswordSchema } from "@/lib/auth/password-policy";

export type PasswordChange = { currentPassword: string; newPassword: string };

/**
 * Checks the current password (a wrong one is audited as FAILED), enforces the policy and
 * "different from the current one", then in one transaction stores the new hash, revokes every
 * session (the caller must issue a new session carrying the returned version), clears
 * mustChangePassword and audits.
 */
export async function changePassword(
  ctx: ServiceContext,
  change: PasswordChange,
): Promise<{ sessionVersion: number }> {
  const policy = PasswordSchema.safeParse(change.newPassword);
  if (!policy.success) {
    throw new ValidationError("Check the highlighted fields.", {
      newPassword: policy.error.issues.map((i) => i.message),
    });
  }
  const user = await db.user.findUnique({
    where: { id: ctx.actor.id },
    omit: { passwordHash: false },
  });
  if (!user) throw new NotFoundError();
  if (!user.active) throw new ForbiddenError();

  if (!(await verifyPassword(change.currentPassword, user.passwordHash))) {
    await recordAuditStandalone(db, {
      actor: ctx.actor,
      action: "user.password_change",
      entityType: "User",
      entityId: user.id,
      outcome: "FAILED",
      metadata: { reason: "wrong_current_password" },
      context: ctx.request,
    });
    const message = "That is not your current password.";
    throw new ValidationError(message, { currentPassword: [message] });
  }
  if (change.newPassword.normalize("NFKC") === change.currentPassword.normalize("NFKC")) {
    const message = "Choose a password different from your current one.";
    throw new ValidationError(message, { newPassword: [message] });
  }
  const passwordHash = await hashPassword(change.newPassword);

  return db.$transaction(async (tx) => {
    // Matching on the hash we verified refuses a concurrent change made in between.
    const updated = await tx.user.updateMany({
      where: { id: user.id, passwordHash: user.passwordHash, active: true },
      data: { passwordHash, mustChangePassword: false },
    });
    if (updated.count !== 1)
      throw new ConflictError("Your account changed meanwhile. Sign in again and retry.");
    const sessions = await revokeSessions(tx, ctx, user.id, "password_change");
    await recordAudit(tx, {
      actor: ctx.actor,
      action: "user.password_change",
      entityType: "User",
      entityId: user.id,
      outcome: "SUCCESS",
      before: { sessionVersion: sessions.before, mustChangePassword: user.mustChangePassword },
      after: { sessionVersion: sessions.after, mustChangePassword: false },
      context: ctx.request,
    });
    return { sessionVersion: sessions.after };
  });
}
