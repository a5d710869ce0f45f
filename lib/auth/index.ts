import "server-only";
import { cookies } from "next/headers";
import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { authConfig } from "@/lib/auth/config";
import { authenticate } from "@/lib/auth/sign-in";
import { endSessionsOnSignOut } from "@/lib/auth/sessions";
import { completeMfaSignIn } from "@/lib/auth/mfa/sign-in";
import { requestContextFrom } from "@/lib/request-context";
import { DEVICE_COOKIE, DEVICE_COOKIE_DAYS, deviceCookieFrom } from "@/lib/auth/device-cookie";
import type { DeviceOptions } from "@/lib/auth/device";
import { getRequestContext } from "@/lib/request-context";
import { identityFromClaims } from "@/lib/auth/sso/claims";
import { SSO_PROVIDER_ID, ssoConfig, ssoProvider } from "@/lib/auth/sso/config";
import { noteAuthError } from "@/lib/auth/sso/failures";
import { completeSsoSignIn } from "@/lib/auth/sso/sign-in";

/** The device cookie of the sign-in request, and how to set a new one on its response. */
function deviceOf(headers: Headers): DeviceOptions {
  return {
    cookie: deviceCookieFrom(headers.get("cookie")),
    async remember(value) {
      const https =
        headers.get("x-forwarded-proto") === "https" ||
        (headers.get("origin") ?? "").startsWith("https:");
      (await cookies()).set(DEVICE_COOKIE, value, {
        httpOnly: true,
        sameSite: "strict",
        secure: https,
        path: "/",
        maxAge: DEVICE_COOKIE_DAYS * 86_400,
      });
    },
  };
}

const sso = ssoConfig();

// The full Auth.js configuration for the Node runtime: the edge-safe config plus Credentials:
// "credentials" (email and password) and "mfa" (the pending token from the password step and a
// TOTP or recovery code) for accounts with two-factor authentication; and, when configured, the
// OpenID Connect provider "oidc" (lib/auth/sso, docs/decisions/029-single-sign-on.md).
export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  callbacks: {
    ...authConfig.callbacks,
    /**
     * SSO only (Credentials decides in authorize): the ID token Auth.js validated names a person;
     * lib/auth/sso/sign-in.ts finds or links or creates the account and applies the role. Then
     * the jwt callback mints the same claims as a password sign-in, from `user`. A refusal goes
     * back to the login page with its reason.
     */
    async signIn({ user, account, profile }) {
      if (account?.provider !== SSO_PROVIDER_ID) return true;
      if (!sso) return false;
      const claims = (profile ?? {}) as Record<string, unknown>;
      const issuer = typeof claims.iss === "string" ? claims.iss : sso.issuer;
      const outcome = await completeSsoSignIn(
        identityFromClaims(claims, issuer, sso.groupsClaim),
        sso,
        await getRequestContext(),
      );
      if (!outcome.ok) return `/login?sso=${outcome.reason}`;
      Object.assign(user, outcome.user);
      return true;
    },
  },
  logger: {
    ...authConfig.logger,
    error(error) {
      noteAuthError(error);
      authConfig.logger.error(error);
    },
  },
  events: {
    // Every sign-out (Auth.js's POST /api/auth/signout included) ends the session for good.
    async signOut(message) {
      if ("token" in message) await endSessionsOnSignOut(message.token);
    },
  },
  providers: [
    ...(sso ? [ssoProvider(sso)] : []),
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        return authenticate(
          credentials,
          requestContextFrom(request.headers),
          deviceOf(request.headers),
        );
      },
    }),
    Credentials({
      id: "mfa",
      name: "Two-factor code",
      credentials: { mfaToken: {}, code: { label: "Code" } },
      async authorize(credentials, request) {
        return completeMfaSignIn(
          credentials,
          requestContextFrom(request.headers),
          deviceOf(request.headers),
        );
      },
    }),
  ],
});
