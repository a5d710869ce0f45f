import "server-only";
import { db } from "@/lib/db";
import { recordAudit, recordAuditStandalone } from "@/lib/audit";
import { verifyAgainstDummy, verifyPassword } from "@/lib/users/password";
import { SignInSchema } from "@/lib/auth/schemas";
import type { RequestContext } from "@/lib/request-context";
import type { Role } from "@/lib/auth/permissions";

export type AuthenticatedUser = {
  id: string;
  email: string;
  name: string;
  role: Role;
  sessionVersion: number;
};

type Failure = "invalid_input" | "unknown_account" | "wrong_password" | "deactivated";

/**
 * Checks a sign-in attempt and audits it, whatever the outcome. Unknown accounts are compared
 * against a dummy hash so they take as long as a wrong password, and every failure returns the
 * same `null`, so the form cannot tell them apart.
 */
export async function authenticate(
  raw: unknown,
  context: RequestContext,
): Promise<AuthenticatedUser | null> {
  const parsed = SignInSchema.safeParse(raw);
  const attemptedEmail =
    typeof (raw as { email?: unknown })?.email === "string"
      ? String((raw as { email: string }).email).slice(0, 254)
      : null;

  const fail = async (reason: Failure, user?: { id: string; role: Role; email: string }) => {
    await recordAuditStandalone(db, {
      actor: user ?? null,
      action: "auth.sign_in",
      entityType: "User",
      entityId: user?.id ?? null,
      outcome: reason === "deactivated" ? "REFUSED" : "FAILED",
      metadata: { reason, email: parsed.success ? parsed.data.email : attemptedEmail },
      context,
    });
    return null;
  };

  if (!parsed.success) return fail("invalid_input");
  const { email, password } = parsed.data;

  const user = await db.user.findUnique({ where: { email }, omit: { passwordHash: false } });
  if (!user) {
    await verifyAgainstDummy(password);
    return fail("unknown_account");
  }
  const passwordOk = await verifyPassword(password, user.passwordHash);
  const actor = { id: user.id, role: user.role, email: user.email };
  if (!passwordOk) return fail("wrong_password", actor);
  if (!user.active) return fail("deactivated", actor);

  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    await recordAudit(tx, {
      actor,
      action: "auth.sign_in",
      entityType: "User",
      entityId: user.id,
      outcome: "SUCCESS",
      context,
    });
  });
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    sessionVersion: user.sessionVersion,
  };
}
