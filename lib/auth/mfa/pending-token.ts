import "server-only";
import { decode, encode } from "next-auth/jwt";
import { env } from "@/lib/env";

// Between the password and the code: a short-lived token (encrypted JWT, AUTH_SECRET with its
// own salt, so it can never pass for a session cookie nor a session cookie for it) that says
// "this account's password was right at sessionVersion sv". The form keeps it, not the password.

export const MFA_PENDING_SALT = "tessera.mfa-pending";
export const MFA_PENDING_MAX_AGE_SECONDS = 300;

export type MfaPending = { uid: string; sv: number };

export async function issueMfaPendingToken(user: { id: string; sessionVersion: number }) {
  return encode({
    token: { uid: user.id, sv: user.sessionVersion, purpose: "mfa" },
    secret: env().AUTH_SECRET,
    salt: MFA_PENDING_SALT,
    maxAge: MFA_PENDING_MAX_AGE_SECONDS,
  });
}

/** The pending sign-in, or null when the token is expired, tampered with or not one of ours. */
export async function readMfaPendingToken(token: string): Promise<MfaPending | null> {
  try {
    const claims = await decode({ token, secret: env().AUTH_SECRET, salt: MFA_PENDING_SALT });
    if (!claims || claims.purpose !== "mfa") return null;
    if (typeof claims.uid !== "string" || typeof claims.sv !== "number") return null;
    return { uid: claims.uid, sv: claims.sv };
  } catch {
    return null;
  }
}
