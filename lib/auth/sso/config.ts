import "server-only";
import type { OIDCConfig } from "next-auth/providers";
import { env } from "@/lib/env";
import type { SsoSettings } from "@/lib/auth/sso/sign-in";

// Single sign-on settings from the environment (lib/env.ts; README "Single sign-on").

/** Auth.js's provider id: its callback is /api/auth/callback/oidc. */
export const SSO_PROVIDER_ID = "oidc";

export type SsoConfig = SsoSettings & {
  issuer: string;
  clientId: string;
  clientSecret: string;
  label: string;
  groupsClaim: string;
  /** Password sign-in with SSO on: for everyone, or only for local admins (break-glass). */
  passwordSignIn: "everyone" | "admins";
};

/** The SSO settings, or null when SSO is off (TESSERA_SSO_ISSUER unset). */
export function ssoConfig(): SsoConfig | null {
  const e = env();
  if (!e.TESSERA_SSO_ISSUER || !e.TESSERA_SSO_CLIENT_ID || !e.TESSERA_SSO_CLIENT_SECRET) {
    return null;
  }
  return {
    issuer: e.TESSERA_SSO_ISSUER,
    clientId: e.TESSERA_SSO_CLIENT_ID,
    clientSecret: e.TESSERA_SSO_CLIENT_SECRET,
    label: e.TESSERA_SSO_LABEL,
    groupsClaim: e.TESSERA_SSO_GROUPS_CLAIM,
    adminGroups: e.TESSERA_SSO_ADMIN_GROUPS,
    technicianGroups: e.TESSERA_SSO_TECHNICIAN_GROUPS,
    jit: e.TESSERA_SSO_JIT,
    passwordSignIn: e.TESSERA_SSO_PASSWORD_SIGN_IN,
  };
}

/**
 * The Auth.js OpenID Connect provider: discovery from the issuer, the authorization code flow
 * with PKCE, state and nonce; Auth.js validates the ID token (signature, iss, aud, exp, nonce).
 * The profile is the ID token's claims; lib/auth/index.ts's signIn callback decides who it is.
 */
export function ssoProvider(config: SsoConfig): OIDCConfig<Record<string, unknown>> {
  return {
    id: SSO_PROVIDER_ID,
    name: config.label,
    type: "oidc",
    issuer: config.issuer,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    checks: ["pkce", "state", "nonce"],
    authorization: { params: { scope: "openid profile email" } },
    profile(claims) {
      return {
        id: String(claims.sub),
        email: typeof claims.email === "string" ? claims.email : null,
        name: typeof claims.name === "string" ? claims.name : null,
      };
    },
  };
}
