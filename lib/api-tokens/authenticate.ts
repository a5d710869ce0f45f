import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { SessionUser } from "@/lib/auth/guards";
import { mfaRequiredFor } from "@/lib/auth/mfa/policy";
import { ssoConfig } from "@/lib/auth/sso/config";
import { hashToken, isWellFormedToken } from "@/lib/api-tokens/format";
import { scopesBeyondRole, type ApiScope } from "@/lib/api-tokens/scopes";

export type ApiTokenRef = { id: string; userId: string; scopes: ApiScope[] };

export type ApiPrincipal = {
  /** The token's owner, re-read from the database on this request (as currentUser does). */
  user: SessionUser & { kind: "PERSON" | "SERVICE" };
  token: ApiTokenRef;
  /** For the audit trail's channel column: which token acted. */
  channel: string;
};

/** Why a token was not accepted: audited; the client is told only "invalid or expired token". */
export type TokenRefusal =
  | "missing"
  | "malformed"
  | "unknown"
  | "revoked"
  | "expired"
  | "owner_inactive"
  | "scope_beyond_role"
  | "password_change_required"
  | "mfa_enrollment_required";

const LAST_USED_EVERY_MS = 60_000;

/**
 * With single sign-on, MFA is the identity provider's (ADR 029): staff linked to the configured
 * provider need no Tessera TOTP for their tokens either (they made them in an SSO session).
 */
async function signsInWithSso(userId: string): Promise<boolean> {
  const sso = ssoConfig();
  if (!sso) return false;
  return (await db.account.count({ where: { userId, provider: sso.issuer } })) > 0;
}

/** The token of an `Authorization: Bearer tsr_pat_…` header, or null. */
export function bearerToken(authorization: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match?.[1] ?? null;
}

/**
 * The same re-check as a session's on every request (lib/auth/guards.ts currentUser): the token
 * exists, is neither revoked nor expired, its owner is active, and the owner's CURRENT role still
 * allows every scope it holds — a deactivated or demoted owner's tokens stop at once. A person's
 * token also stops while a password change or MFA enrollment is due (service accounts have
 * neither). Records the last use (time and address) at most once a minute per token.
 */
export async function authenticateApiToken(
  authorization: string | null | undefined,
  ip: string | null,
  now = new Date(),
): Promise<{ ok: true; principal: ApiPrincipal } | { ok: false; reason: TokenRefusal }> {
  const token = bearerToken(authorization);
  if (!token) return { ok: false, reason: "missing" };
  if (!isWellFormedToken(token)) return { ok: false, reason: "malformed" };
  const row = await db.apiToken.findUnique({
    where: { secretHash: hashToken(token) },
    select: {
      id: true,
      userId: true,
      scopes: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      lastUsedIp: true,
      user: {
        select: {
          id: true,
          email: true,
          name: true,
          role: true,
          kind: true,
          active: true,
          mustChangePassword: true,
          mfaEnabledAt: true,
        },
      },
    },
  });
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revokedAt) return { ok: false, reason: "revoked" };
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) {
    return { ok: false, reason: "expired" };
  }
  const u = row.user;
  if (!u.active) return { ok: false, reason: "owner_inactive" };
  if (scopesBeyondRole(u.role, row.scopes).length > 0) {
    return { ok: false, reason: "scope_beyond_role" };
  }
  const person = u.kind === "PERSON";
  if (person && u.mustChangePassword) return { ok: false, reason: "password_change_required" };
  const mfaEnrollmentRequired =
    person &&
    u.mfaEnabledAt === null &&
    mfaRequiredFor(u.role, env().TESSERA_STAFF_MFA) &&
    !(await signsInWithSso(u.id));
  if (mfaEnrollmentRequired) return { ok: false, reason: "mfa_enrollment_required" };

  const stale =
    !row.lastUsedAt ||
    now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_EVERY_MS ||
    row.lastUsedIp !== ip;
  if (stale) {
    await db.apiToken.update({
      where: { id: row.id },
      data: { lastUsedAt: now, lastUsedIp: ip },
    });
  }
  return {
    ok: true,
    principal: {
      user: {
        id: u.id,
        email: u.email,
        name: u.name,
        role: u.role,
        kind: u.kind,
        mustChangePassword: false,
        mfaEnabled: u.mfaEnabledAt !== null,
        mfaEnrollmentRequired: false,
      },
      token: { id: row.id, userId: row.userId, scopes: row.scopes as ApiScope[] },
      channel: `api:${row.id}`,
    },
  };
}
