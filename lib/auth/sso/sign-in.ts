import "server-only";
import { randomBytes } from "node:crypto";
import { db, type Tx } from "@/lib/db";
import { recordAudit, recordAuditStandalone, type AuditContext } from "@/lib/audit";
import { hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/permissions";
import type { AuthenticatedUser } from "@/lib/auth/sign-in";
import { roleForGroups, type RoleMapping, type SsoIdentity } from "@/lib/auth/sso/claims";
import { securityEvent } from "@/lib/security/events";
import { Prisma } from "@/lib/generated/prisma/client";

// Signing in with an identity provider's validated ID token (docs/decisions/029-single-sign-on.md):
// which Tessera account it is, whether it may come in, and its role from the groups, every time.

/** Why an SSO sign-in was refused; the login page shows a message for each (?sso=<reason>). */
export type SsoRefusal =
  /** No account for this person and just-in-time creation is off. */
  | "no_account"
  /** The token carries no usable email address (an account cannot be created or linked). */
  | "no_email"
  /** An account has this email, but the provider does not say the address is verified. */
  | "email_unverified"
  | "deactivated"
  /** Integration accounts never sign in interactively. */
  | "service_account"
  /** The token has no subject (cannot happen with a conforming provider). */
  | "invalid_token";

export const SSO_REFUSALS: readonly SsoRefusal[] = [
  "no_account",
  "no_email",
  "email_unverified",
  "deactivated",
  "service_account",
  "invalid_token",
];

export type SsoSettings = RoleMapping & { jit: boolean };

export type SsoOutcome =
  | { ok: true; user: AuthenticatedUser; created: boolean; linked: boolean }
  | { ok: false; reason: SsoRefusal };

/** The audit channel of everything an SSO sign-in changes. */
export const SSO_CHANNEL = "sso";

/** A bcrypt hash of 32 random bytes nobody keeps: the column is required, the password unusable. */
async function unusablePasswordHash(): Promise<string> {
  return hashPassword(randomBytes(32).toString("base64url"));
}

const USER_FIELDS = {
  id: true,
  email: true,
  name: true,
  role: true,
  active: true,
  kind: true,
  sessionVersion: true,
} as const;

type Row = {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  kind: "PERSON" | "SERVICE";
  sessionVersion: number;
};

class Refused extends Error {
  constructor(
    readonly reason: SsoRefusal,
    readonly user?: Row,
  ) {
    super(reason);
  }
}

/**
 * Finds the account by (issuer, subject); on a first sign-in links the PERSON account with the
 * same email only when the provider marks it verified, or creates one (just-in-time, when on).
 * Then refuses inactive and service accounts, applies the role the groups map to (a change is
 * audited as `user.role_change` on the SSO channel and ends the person's other sessions), and
 * audits the sign-in (`auth.sign_in`, method "oidc"). Refusals are audited with their reason.
 */
export async function completeSsoSignIn(
  identity: SsoIdentity | null,
  settings: SsoSettings,
  context: AuditContext,
): Promise<SsoOutcome> {
  const ssoContext: AuditContext = { ...context, channel: SSO_CHANNEL };
  const meta = identity
    ? { method: "oidc", issuer: identity.issuer, subject: identity.subject }
    : { method: "oidc" };
  const refuse = async (reason: SsoRefusal, user?: Row): Promise<SsoOutcome> => {
    await recordAuditStandalone(db, {
      actor: user ? { id: user.id, role: user.role, email: user.email } : null,
      action: "auth.sign_in",
      entityType: "User",
      entityId: user?.id ?? null,
      outcome: "REFUSED",
      metadata: { ...meta, reason, ...(user ? {} : { email: identity?.email ?? null }) },
      context: ssoContext,
    });
    return { ok: false, reason };
  };
  if (!identity) return refuse("invalid_token");

  const role = roleForGroups(identity.groups, settings);
  // Hashed outside the transaction (bcrypt is slow); only used for a just-in-time account.
  const newHash = settings.jit ? await unusablePasswordHash() : null;

  const attempt = () =>
    db.$transaction(async (tx) => {
      let created = false;
      let linked = false;
      const account = await tx.account.findUnique({
        where: {
          provider_providerAccountId: {
            provider: identity.issuer,
            providerAccountId: identity.subject,
          },
        },
        select: { user: { select: USER_FIELDS } },
      });
      let user: Row | null = account?.user ?? null;
      if (!user) {
        if (!identity.email) throw new Refused("no_email");
        const existing = await tx.user.findUnique({
          where: { email: identity.email },
          select: USER_FIELDS,
        });
        if (existing) {
          if (existing.kind !== "PERSON") throw new Refused("service_account", existing);
          if (!identity.emailVerified) throw new Refused("email_unverified", existing);
          user = existing;
          linked = true;
        } else {
          if (!settings.jit || !newHash) throw new Refused("no_account");
          if (!identity.emailVerified) throw new Refused("email_unverified");
          user = await createAccount(tx, identity, role, newHash, ssoContext);
          created = true;
        }
        await tx.account.create({
          data: {
            userId: user.id,
            type: "oidc",
            provider: identity.issuer,
            providerAccountId: identity.subject,
          },
        });
        if (linked) {
          await recordAudit(tx, {
            actor: { id: user.id, role: user.role, email: user.email },
            action: "auth.sso_link",
            entityType: "User",
            entityId: user.id,
            outcome: "SUCCESS",
            metadata: { issuer: identity.issuer, subject: identity.subject },
            context: ssoContext,
          });
        }
      }
      if (user.kind !== "PERSON") throw new Refused("service_account", user);
      if (!user.active) throw new Refused("deactivated", user);
      if (user.role !== role) user = await applyRole(tx, user, role, ssoContext);
      await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
      await recordAudit(tx, {
        actor: { id: user.id, role: user.role, email: user.email },
        action: "auth.sign_in",
        entityType: "User",
        entityId: user.id,
        outcome: "SUCCESS",
        metadata: {
          ...meta,
          ...(created ? { created: true } : {}),
          ...(linked ? { linked: true } : {}),
        },
        context: ssoContext,
      });
      return {
        ok: true as const,
        created,
        linked,
        user: {
          id: user.id,
          email: user.email,
          name: user.name,
          role: user.role,
          sessionVersion: user.sessionVersion,
        },
      };
    });

  try {
    try {
      return await attempt();
    } catch (error) {
      // Two first sign-ins of one person at once: the second finds the account the first made.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
        return await attempt();
      }
      throw error;
    }
  } catch (error) {
    if (error instanceof Refused) return refuse(error.reason, error.user);
    throw error;
  }
}

async function createAccount(
  tx: Tx,
  identity: SsoIdentity,
  role: Role,
  passwordHash: string,
  context: AuditContext,
): Promise<Row> {
  const user = await tx.user.create({
    data: {
      email: identity.email!,
      name: identity.name ?? identity.email!.split("@")[0]!,
      role,
      passwordHash,
      emailVerified: new Date(),
    },
    select: USER_FIELDS,
  });
  await recordAudit(tx, {
    actor: null,
    action: "user.create",
    entityType: "User",
    entityId: user.id,
    outcome: "SUCCESS",
    after: { email: user.email, name: user.name, role: user.role, active: user.active },
    metadata: { via: "sso", issuer: identity.issuer, subject: identity.subject },
    context,
  });
  return user;
}

/**
 * The role the provider's groups give, applied at sign-in: the account's sessions end
 * (sessionVersion bumped, like an admin's role change in lib/users) and the change is audited
 * with the SSO channel. The new session is issued with the new version.
 */
async function applyRole(tx: Tx, user: Row, role: Role, context: AuditContext): Promise<Row> {
  const updated = await tx.user.update({
    where: { id: user.id },
    data: { role, sessionVersion: { increment: 1 } },
    select: USER_FIELDS,
  });
  await recordAudit(tx, {
    actor: null,
    action: "user.role_change",
    entityType: "User",
    entityId: user.id,
    outcome: "SUCCESS",
    before: { role: user.role, sessionVersion: user.sessionVersion },
    after: { role, sessionVersion: updated.sessionVersion },
    metadata: { email: user.email, via: "sso" },
    context,
  });
  await securityEvent(
    "auth.sessions_revoked",
    { userId: user.id, by: null, reason: "role_change" },
    { tx },
  );
  await securityEvent(
    "user.role_changed",
    { userId: user.id, from: user.role, to: role, by: "sso" },
    { tx },
  );
  return updated;
}
