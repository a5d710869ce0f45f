import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { UnauthenticatedError } from "@/lib/errors";
import { mfaRequiredFor } from "@/lib/auth/mfa/policy";
import { can, type Permission, type Role } from "@/lib/auth/permissions";
import { lifetimesFor } from "@/lib/auth/session-policy";
import { readSession } from "@/lib/auth/session-token";

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  role: Role;
  mustChangePassword: boolean;
  // Optional so that services and tests may pass a plain user row; currentUser() always sets them.
  mfaEnabled?: boolean;
  /** Staff without MFA while it is required: only their own account pages and actions work. */
  mfaEnrollmentRequired?: boolean;
  /** "oidc": signed in with single sign-on, whose MFA is the identity provider's. */
  signInMethod?: "password" | "oidc";
};

/**
 * The signed-in user, re-read from the database on every request: a deactivated or demoted user,
 * or one whose sessions were revoked (sessionVersion bumped), is refused even with a valid cookie.
 * The role comes from the database, never from the token.
 */
export const currentUser = cache(async (): Promise<SessionUser | null> =>
  userFromCookie((await headers()).get("cookie")),
);

/**
 * currentUser's check for a given Cookie header, uncached: a long-lived response (the live
 * updates stream, lib/live) re-asks it every heartbeat with the cookie it was opened with.
 */
export async function userFromCookie(cookieHeader: string | null): Promise<SessionUser | null> {
  // The cookie as the middleware reads it (lib/auth/session-token.ts); the middleware re-issues it.
  const session = await readSession(cookieHeader);
  if (session.state !== "valid") return null;
  const claims = session.claims;
  const user = await db.user.findUnique({
    where: { id: claims.id },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      active: true,
      sessionVersion: true,
      mustChangePassword: true,
      mfaEnabledAt: true,
      kind: true,
    },
  });
  if (!user || !user.active || user.sessionVersion !== claims.sessionVersion) return null;
  // A service account never has a session (sign-in refuses it): a cookie for one opens nothing.
  if (user.kind !== "PERSON") return null;
  // The jwt callback ends idle and old sessions by the role in the token; this re-checks the
  // absolute lifetime by the role in the database (a token can never outlive its current role).
  const age = Math.floor(Date.now() / 1000) - (claims.authTime ?? 0);
  if (claims.authTime && age >= lifetimesFor(user.role).absoluteSeconds) return null;
  // A single sign-on session: the identity provider authenticated the person (its MFA policy
  // applies, docs/decisions/029-single-sign-on.md), so neither Tessera's MFA enrollment nor a
  // due password change stands in the way; both still apply to password sessions.
  const sso = claims.method === "oidc";
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    mustChangePassword: user.mustChangePassword && !sso,
    mfaEnabled: user.mfaEnabledAt !== null,
    mfaEnrollmentRequired:
      !sso && user.mfaEnabledAt === null && mfaRequiredFor(user.role, env().TESSERA_STAFF_MFA),
    signInMethod: claims.method,
  };
}

/** For server actions: throws, and the action wrapper turns it into a message. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw new UnauthenticatedError();
  return user;
}

type PageOptions = { allowPasswordChange?: boolean; allowMfaEnrollment?: boolean };

/**
 * For pages and layouts: redirects instead of throwing. A password change that is due, then an
 * MFA enrollment that is due, come before every other page; the account pages opt in.
 */
export async function requirePageUser(options: PageOptions = {}): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/login");
  if (user.mustChangePassword && !options.allowPasswordChange) redirect("/account/password");
  if (user.mfaEnrollmentRequired && !options.allowMfaEnrollment) redirect("/account/mfa");
  return user;
}

/**
 * For pages: requirePageUser, then the permission the page is about (the same question the
 * action wrapper asks; the page's queries then scope to what the user may see). Without it:
 * /forbidden.
 */
export async function requirePagePermission(
  permission: Permission,
  options: PageOptions = {},
): Promise<SessionUser> {
  const user = await requirePageUser(options);
  if (!can(user, permission)) redirect("/forbidden");
  return user;
}
