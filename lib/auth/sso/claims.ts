// What Tessera reads from an identity provider's ID token (docs/decisions/029-single-sign-on.md).
// Pure: no database, no environment; tests/unit/sso-claims.test.ts covers every rule.
import type { Role } from "@/lib/auth/permissions";

/** The person an ID token describes, as the sign-in service needs it. */
export type SsoIdentity = {
  /** The issuer that vouches for `subject` (the account key is the pair). */
  issuer: string;
  subject: string;
  /** Lower-cased; null when the token has none (or not a plausible one). */
  email: string | null;
  /** Only `email_verified: true` counts (linking to an existing account needs it). */
  emailVerified: boolean;
  name: string | null;
  groups: string[];
};

export type RoleMapping = { adminGroups: string[]; technicianGroups: string[] };

const MAX_GROUPS = 500;
const MAX_GROUP_LENGTH = 500;

/**
 * The values of the groups claim: `path` may be dotted for a nested claim (Keycloak's
 * "realm_access.roles"). An array of strings, or one string (a single group; some providers
 * send that), else none. Non-string entries are ignored.
 */
export function groupsFromClaims(claims: Record<string, unknown>, path: string): string[] {
  let value: unknown = claims;
  // A claim whose name itself contains dots (e.g. "https://example.com/roles") is tried first.
  if (Object.hasOwn(claims, path)) value = claims[path];
  else {
    for (const key of path.split(".")) {
      if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return [];
      value = (value as Record<string, unknown>)[key];
    }
  }
  const list = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
  return list
    .filter((g): g is string => typeof g === "string" && g.length > 0)
    .map((g) => g.slice(0, MAX_GROUP_LENGTH))
    .slice(0, MAX_GROUPS);
}

/**
 * The role for a set of groups: admin when any admin group matches, else technician when any
 * technician group does, else user. Exact, case-sensitive comparison (group ids and names are
 * identifiers at the provider; "Admins" and "admins" may be different groups).
 */
export function roleForGroups(groups: readonly string[], mapping: RoleMapping): Role {
  const has = (wanted: readonly string[]) => wanted.some((g) => groups.includes(g));
  if (has(mapping.adminGroups)) return "ADMIN";
  if (has(mapping.technicianGroups)) return "TECHNICIAN";
  return "USER";
}

const EMAIL_SHAPE = /^[^\s@]{1,64}@[^\s@]{1,253}$/;

/** The identity in validated ID token claims (Auth.js has checked signature, iss, aud, exp, nonce). */
export function identityFromClaims(
  claims: Record<string, unknown>,
  issuer: string,
  groupsClaim: string,
): SsoIdentity | null {
  const subject = claims.sub;
  if (typeof subject !== "string" || subject.length === 0 || subject.length > 255) return null;
  const rawEmail = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : "";
  const email = rawEmail.length <= 254 && EMAIL_SHAPE.test(rawEmail) ? rawEmail : null;
  const name =
    typeof claims.name === "string" && claims.name.trim() ? claims.name.trim().slice(0, 100) : null;
  return {
    issuer,
    subject,
    email,
    // Some providers send the string "true"; anything else (absent, false) is unverified.
    emailVerified:
      email !== null && (claims.email_verified === true || claims.email_verified === "true"),
    name,
    groups: groupsFromClaims(claims, groupsClaim),
  };
}
