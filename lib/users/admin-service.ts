import "server-only";
// Admin user management: each change re-checks the permission, runs ONE transaction that writes
// the user and its audit event (before/after), and revokes the user's sessions (revokeSessions)
// whenever it changes what they may do, so their existing sessions are refused on the next request.
// Guards (docs/decisions/007-admin-guards.md): a fresh password confirmation for role and status
// changes, password resets and new admins; the last active admin can never be demoted or
// deactivated, decided under row locks so two concurrent demotions cannot both pass.
import { randomBytes, randomInt } from "node:crypto";
import { db, type Tx } from "@/lib/db";
import type { AuditActor } from "@/lib/audit";
import { changeRecorder } from "@/lib/audit/change";
import { requireConfirmation, requireFreshConfirmation } from "@/lib/auth/reauth";
import { resetMfaInTx } from "@/lib/auth/mfa/service";
import { revokeSessions } from "@/lib/auth/sessions";
import { assertCan, type Role } from "@/lib/auth/permissions";
import { revokeTokensInTx } from "@/lib/api-tokens/service";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { securityEvent } from "@/lib/security/events";
import type { ServiceContext } from "@/lib/service-context";
import { hashPassword } from "@/lib/auth/password";
import { createUser, type UserSummary } from "@/lib/users/service";
import type { ServiceAccountCreateInput, UserAdminCreateInput } from "@/lib/users/admin-schemas";

export const LAST_ADMIN_MESSAGE =
  "There must always be at least one active admin: make someone else an admin first.";
export const SELF_DEACTIVATE_MESSAGE = "You cannot deactivate your own account.";
const USER_NOT_FOUND = "User not found.";
export const SERVICE_NO_PASSWORD = "A service account has no password: it uses API tokens.";

// No look-alike characters (0/o, 1/l/i): the admin may have to read it out to someone.
const OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** 4 groups of 5 random characters (~98 bits), e.g. "k7mqz-4hw2p-tn8xe-r3vab". */
export function generateOneTimePassword(): string {
  const groups = Array.from({ length: 4 }, () =>
    Array.from({ length: 5 }, () => OTP_ALPHABET[randomInt(OTP_ALPHABET.length)]).join(""),
  );
  return groups.join("-");
}

type Target = {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  sessionVersion: number;
  mustChangePassword: boolean;
  kind: "PERSON" | "SERVICE";
};

/**
 * Locks the rows of every active admin (in id order, so concurrent callers queue instead of
 * deadlocking), then re-checks under that lock that the actor is still one of them: after a
 * concurrent demotion commits, the waiting transaction sees the new state.
 */
async function lockActiveAdmins(tx: Tx, actor: AuditActor): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "User" WHERE role = 'ADMIN' AND active ORDER BY id FOR UPDATE`;
  const ids = rows.map((r) => r.id);
  if (!ids.includes(actor.id)) throw new ForbiddenError();
  return ids;
}

async function lockTarget(tx: Tx, userId: string): Promise<Target> {
  const rows = await tx.$queryRaw<Target[]>`
    SELECT id, email, name, role::text AS role, active, "sessionVersion", "mustChangePassword",
           kind::text AS kind
    FROM "User" WHERE id = ${userId} FOR UPDATE`;
  const target = rows[0];
  if (!target) throw new NotFoundError(USER_NOT_FOUND);
  return target;
}

const recordUserChange = changeRecorder("User");

function audit(
  tx: Tx,
  ctx: ServiceContext,
  action: string,
  target: Target,
  before: object | null,
  after: object | null,
  metadata?: object,
) {
  return recordUserChange(tx, ctx, action, target.id, before, after, {
    email: target.email,
    ...metadata,
  });
}

/**
 * Creates an account with a generated one-time password that must be changed at first sign-in.
 * The password is returned once, for the admin to hand over; it is never stored or audited.
 */
export async function createUserByAdmin(
  ctx: ServiceContext,
  input: UserAdminCreateInput,
): Promise<{ user: UserSummary; oneTimePassword: string }> {
  assertCan(ctx.actor, "user:manage");
  if (input.role === "ADMIN") await requireFreshConfirmation(db, ctx.actor.id, ctx.reauthToken);
  const oneTimePassword = generateOneTimePassword();
  const user = await createUser(
    db,
    { ...input, password: oneTimePassword, mustChangePassword: true },
    { actor: ctx.actor, context: ctx.request, metadata: { via: "admin" } },
  );
  return { user, oneTimePassword };
}

/** "Billing sync" -> "billing-sync": the readable part of a service account's sign-in name. */
function slug(name: string): string {
  const s = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return s || "account";
}

/**
 * A service account (ADR 025): kind SERVICE, for an integration's API tokens. Its sign-in name is
 * `svc-<slug>-<random>@service.invalid` (a reserved domain: no mail can reach it) and its password
 * a random one nobody ever sees; sign-in and password reset refuse the kind anyway, and it has no
 * MFA to enroll. A service admin needs the same fresh confirmation as a new admin.
 */
export async function createServiceAccount(
  ctx: ServiceContext,
  input: ServiceAccountCreateInput,
): Promise<{ user: UserSummary }> {
  assertCan(ctx.actor, "user:manage");
  if (input.role === "ADMIN") await requireFreshConfirmation(db, ctx.actor.id, ctx.reauthToken);
  const email = `svc-${slug(input.name)}-${randomBytes(4).toString("hex")}@service.invalid`;
  const user = await createUser(
    db,
    {
      email,
      name: input.name,
      role: input.role,
      password: randomBytes(32).toString("base64url"),
      kind: "SERVICE",
    },
    { actor: ctx.actor, context: ctx.request, metadata: { via: "admin" } },
  );
  return { user };
}

export async function changeUserRole(
  ctx: ServiceContext,
  input: { userId: string; role: Role },
): Promise<{ changed: boolean }> {
  assertCan(ctx.actor, "user:manage");
  return db.$transaction(async (tx) => {
    await requireConfirmation(tx, ctx, { grantsAdmin: input.role === "ADMIN" });
    const admins = await lockActiveAdmins(tx, ctx.actor);
    const target = await lockTarget(tx, input.userId);
    if (target.role === input.role) return { changed: false };
    if (target.role === "ADMIN" && target.active && admins.length <= 1) {
      throw new ConflictError(LAST_ADMIN_MESSAGE);
    }
    await tx.user.update({ where: { id: target.id }, data: { role: input.role } });
    const sessions = await revokeSessions(tx, ctx, target.id, "role_change");
    // Tokens with a scope the new role lacks stop at once anyway (authenticateApiToken); revoked
    // here, a later promotion does not bring them back.
    await revokeTokensInTx(tx, ctx, target.id, {
      reason: "role_change",
      from: target.role,
      role: input.role,
    });
    await audit(
      tx,
      ctx,
      "user.role_change",
      target,
      { role: target.role, sessionVersion: sessions.before },
      { role: input.role, sessionVersion: sessions.after },
    );
    await securityEvent(
      "user.role_changed",
      { userId: target.id, from: target.role, to: input.role, by: ctx.actor.id },
      { tx },
    );
    return { changed: true };
  });
}

export async function setUserActive(
  ctx: ServiceContext,
  input: { userId: string; active: boolean },
): Promise<{ changed: boolean }> {
  assertCan(ctx.actor, "user:manage");
  if (!input.active && input.userId === ctx.actor.id) {
    throw new ForbiddenError(SELF_DEACTIVATE_MESSAGE);
  }
  return db.$transaction(async (tx) => {
    // Whether reactivating grants admin rights depends on the target: read unlocked first (the
    // confirmation comes before the locks, as in changeUserRole).
    const role = (await tx.user.findUnique({ where: { id: input.userId }, select: { role: true } }))
      ?.role;
    await requireConfirmation(tx, ctx, { grantsAdmin: input.active && role === "ADMIN" });
    const admins = await lockActiveAdmins(tx, ctx.actor);
    const target = await lockTarget(tx, input.userId);
    if (target.active === input.active) return { changed: false };
    if (!input.active && target.role === "ADMIN" && admins.length <= 1) {
      throw new ConflictError(LAST_ADMIN_MESSAGE);
    }
    await tx.user.update({ where: { id: target.id }, data: { active: input.active } });
    // Revoked both ways: a deactivated user's old cookies must stay dead after reactivation.
    const sessions = await revokeSessions(
      tx,
      ctx,
      target.id,
      input.active ? "reactivation" : "deactivation",
    );
    // Like the sessions: a deactivated account's tokens stay dead after a reactivation.
    if (!input.active) await revokeTokensInTx(tx, ctx, target.id, { reason: "deactivation" });
    await audit(
      tx,
      ctx,
      input.active ? "user.reactivate" : "user.deactivate",
      target,
      { active: target.active, sessionVersion: sessions.before },
      { active: input.active, sessionVersion: sessions.after },
    );
    await securityEvent(
      "user.deactivated",
      { userId: target.id, active: input.active, by: ctx.actor.id },
      { tx },
    );
    return { changed: true };
  });
}

/** Ends every session of the user (their cookies carry an older sessionVersion). */
export async function signOutUserEverywhere(
  ctx: ServiceContext,
  input: { userId: string },
): Promise<void> {
  assertCan(ctx.actor, "user:manage");
  await db.$transaction(async (tx) => {
    const target = await lockTarget(tx, input.userId);
    const sessions = await revokeSessions(tx, ctx, target.id, "sign_out_everywhere");
    await audit(
      tx,
      ctx,
      "user.sign_out_everywhere",
      target,
      { sessionVersion: sessions.before },
      { sessionVersion: sessions.after },
    );
  });
}

/** A new one-time password (returned once), every session ended, a change forced at sign-in. */
export async function resetUserPassword(
  ctx: ServiceContext,
  input: { userId: string },
): Promise<{ oneTimePassword: string }> {
  assertCan(ctx.actor, "user:manage");
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword); // slow: before the transaction
  await db.$transaction(async (tx) => {
    await requireFreshConfirmation(tx, ctx.actor.id, ctx.reauthToken);
    const target = await lockTarget(tx, input.userId);
    if (target.kind === "SERVICE") throw new ValidationError(SERVICE_NO_PASSWORD);
    await tx.user.update({
      where: { id: target.id },
      data: { passwordHash, mustChangePassword: true },
    });
    const sessions = await revokeSessions(tx, ctx, target.id, "password_reset");
    await audit(
      tx,
      ctx,
      "user.password_reset",
      target,
      { mustChangePassword: target.mustChangePassword, sessionVersion: sessions.before },
      { mustChangePassword: true, sessionVersion: sessions.after },
    );
  });
  return { oneTimePassword };
}

/**
 * Turns a user's MFA off (lost phone and recovery codes): they set it up again at their next
 * sign-in, and every session of theirs ends. Needs a fresh password confirmation; audited.
 */
export async function resetUserMfa(
  ctx: ServiceContext,
  input: { userId: string },
): Promise<{ changed: boolean }> {
  assertCan(ctx.actor, "user:manage");
  return db.$transaction(async (tx) => {
    await requireFreshConfirmation(tx, ctx.actor.id, ctx.reauthToken);
    return resetMfaInTx(tx, ctx, input.userId);
  });
}
