import "server-only";
// "Forgot password" (issue 14 §2). Asking gives the same answer whether or not the address has an
// account; an active account gets a link with a single-use token (only its sha256 is stored),
// valid 30 minutes. Choosing the new password follows the password policy, ends every session
// (sessionVersion) and does not bypass MFA: staff still need their code at the next sign-in.
// Both steps are throttled per ip (and the mail per address) and audited.
import { createHash, randomBytes } from "node:crypto";
import { createElement } from "react";
import { recordAudit, recordAuditStandalone, type AuditContext } from "@/lib/audit";
import { hashPassword } from "@/lib/auth/password";
import { auditEmailHash } from "@/lib/auth/server-keys";
import { revokeSessions } from "@/lib/auth/sessions";
import { db } from "@/lib/db";
import { emailConfig } from "@/lib/email/config";
import { queueEmail } from "@/lib/email/queue";
import { AccountMail } from "@/lib/email/templates/account";
import { RateLimitedError, ValidationError } from "@/lib/errors";
import { wakeSecurityOutbox } from "@/lib/outbox/runtime";
import { Limiter, rateLimitStore } from "@/lib/rate-limit";
import { rateLimitConfig } from "@/lib/rate-limit/config";

export const RESET_TTL_MINUTES = 30;
export const RESET_REQUESTED =
  "If an account uses that address, we sent it a link to choose a new password. " +
  `The link works once, for ${RESET_TTL_MINUTES} minutes.`;
export const RESET_LINK_INVALID = "This link has expired or was already used. Ask for a new link.";

const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");

async function throttle(rule: "passwordResetPerIp" | "passwordResetPerAddress", key: string) {
  return new Limiter(rateLimitStore(), rateLimitConfig()[rule]).consume(key);
}

/**
 * The per-ip limit of both steps: throws RateLimitedError when this ip asked too often (which
 * says nothing about any address).
 */
export async function admitResetAttempt(request: AuditContext): Promise<void> {
  const perIp = await throttle("passwordResetPerIp", request.ip ?? "-");
  if (!perIp.allowed) throw new RateLimitedError(perIp.retryAfterSeconds);
}

/**
 * Sends a reset link to `email` when it is an active account; answers nothing either way (the
 * caller shows RESET_REQUESTED in every case). Call admitResetAttempt first.
 */
export async function sendResetLink(email: string, request: AuditContext): Promise<void> {
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, role: true, active: true, kind: true },
  });
  const audit = { action: "auth.password_reset_request", entityType: "User", context: request };
  // A service account has no password to reset (and no mailbox): answered like an unknown address.
  if (!user || !user.active || user.kind === "SERVICE") {
    await recordAuditStandalone(db, {
      ...audit,
      actor: null,
      entityId: user?.id ?? null,
      outcome: "FAILED",
      // Never the typed text of an unknown address: its keyed hash (as for sign-in).
      metadata: user
        ? { reason: user.kind === "SERVICE" ? "service_account" : "inactive" }
        : { reason: "unknown", emailHash: auditEmailHash(email) },
    });
    return;
  }
  const perAddress = await throttle("passwordResetPerAddress", user.id);
  if (!perAddress.allowed) {
    await recordAuditStandalone(db, {
      ...audit,
      actor: user,
      entityId: user.id,
      outcome: "REFUSED",
      metadata: { reason: "rate_limited" },
    });
    return;
  }
  const token = randomBytes(32).toString("base64url");
  const config = emailConfig();
  await db.$transaction(async (tx) => {
    // One live link at a time: a new request voids the older ones.
    await tx.passwordResetToken.updateMany({
      where: { userId: user.id, usedAt: null },
      data: { usedAt: new Date() },
    });
    await tx.$executeRaw`
      INSERT INTO "PasswordResetToken" ("id", "userId", "tokenHash", "expiresAt")
      VALUES (${randomBytes(16).toString("hex")}, ${user.id}, ${sha256(token)},
              now() + make_interval(mins => ${RESET_TTL_MINUTES}))`;
    await queueEmail(tx, config, {
      kind: "password_reset",
      to: { address: user.email, userId: user.id },
      subject: "Choose a new password",
      body: createElement(AccountMail, {
        preview: "A link to choose a new password",
        heading: "Choose a new password",
        lines: [
          `Someone (we hope you) asked to reset the password of ${user.email}.`,
          `The link works once, for ${RESET_TTL_MINUTES} minutes. If it was not you, ignore this email: your password stays as it is.`,
        ],
        action: {
          url: `${config.publicUrl}/reset-password?token=${token}`,
          label: "Choose a new password",
        },
        footer: "Sent by the help desk because a password reset was requested on its sign-in page.",
      }),
    });
    await recordAudit(tx, {
      ...audit,
      actor: user,
      entityId: user.id,
      outcome: "SUCCESS",
    });
  });
  wakeSecurityOutbox();
}

/**
 * Sets a new password with an emailed token: once, within its 30 minutes, for an account still
 * active. Ends every session of the account. Returns the account's email (for the sign-in page).
 */
export async function resetPassword(
  input: { token: string; newPassword: string },
  request: AuditContext,
): Promise<{ email: string }> {
  await admitResetAttempt(request);
  const tokenHash = sha256(input.token);
  const [found] = await db.$queryRaw<{ id: string; userId: string }[]>`
    SELECT t."id", t."userId" FROM "PasswordResetToken" t JOIN "User" u ON u."id" = t."userId"
     WHERE t."tokenHash" = ${tokenHash} AND t."usedAt" IS NULL AND t."expiresAt" > now()
       AND u."active" AND u."kind" = 'PERSON'`;
  const audit = { action: "auth.password_reset", entityType: "User", context: request };
  if (!found) {
    await recordAuditStandalone(db, {
      ...audit,
      actor: null,
      entityId: null,
      outcome: "FAILED",
      metadata: { reason: "invalid_or_expired_link" },
    });
    throw new ValidationError(RESET_LINK_INVALID);
  }
  const passwordHash = await hashPassword(input.newPassword);
  return db.$transaction(async (tx) => {
    // Spent here, atomically: of two submissions of one link, only one gets past this.
    const spent = await tx.passwordResetToken.updateMany({
      where: { id: found.id, usedAt: null },
      data: { usedAt: new Date() },
    });
    if (spent.count !== 1) throw new ValidationError(RESET_LINK_INVALID);
    const user = await tx.user.update({
      where: { id: found.userId },
      data: { passwordHash, mustChangePassword: false },
      select: { id: true, email: true, role: true },
    });
    const sessions = await revokeSessions(tx, { actor: user, request }, user.id, "password_reset");
    await recordAudit(tx, {
      ...audit,
      actor: user,
      entityId: user.id,
      outcome: "SUCCESS",
      before: { sessionVersion: sessions.before },
      after: { sessionVersion: sessions.after },
    });
    return { email: user.email };
  });
}
