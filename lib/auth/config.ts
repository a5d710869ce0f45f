// Edge-safe Auth.js configuration: no providers, no bcrypt, no database. The edge middleware
// builds its `auth()` from this; lib/auth/index.ts adds the Credentials provider for Node.
import type { NextAuthConfig } from "next-auth";
import type { Role } from "@/lib/auth/permissions";
import { cookieMaxAgeSeconds } from "@/lib/auth/session-policy";
import { continueSession } from "@/lib/auth/session-token";

declare module "next-auth" {
  interface User {
    role?: Role;
    sessionVersion?: number;
  }
  interface Session {
    user: {
      id: string;
      email: string;
      name: string;
      role: Role;
      sessionVersion: number;
      /** When the person typed their password (Unix seconds): the absolute lifetime's start. */
      authTime: number;
    };
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    uid?: string;
    role?: Role;
    sv?: number;
    /** Sign-in time (Unix seconds). Unlike `iat`, never moves when the token is re-encoded. */
    at?: number;
    /** Last request seen (Unix seconds), refreshed by the jwt callback: the idle lifetime. */
    ls?: number;
    /** How the person signed in: "oidc" for single sign-on; absent for a password sign-in. */
    am?: "oidc";
  }
}

/**
 * The cookie lives as long as the longest absolute lifetime of any role; the jwt callback ends
 * sessions earlier per role (lib/auth/session-policy.ts) and the guards re-check the user.
 */
export const SESSION_MAX_AGE_SECONDS = cookieMaxAgeSeconds();

const nowSeconds = () => Math.floor(Date.now() / 1000);

export const authConfig = {
  pages: { signIn: "/login", error: "/login" },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  providers: [],
  trustHost: process.env.AUTH_TRUST_HOST === "true" || undefined,
  callbacks: {
    // Auth.js's own redirects (its sign-in/sign-out endpoints take a callbackUrl): same origin
    // only, and never a control character, which Node refuses in a Location header (CR/LF in
    // callbackUrl answered 500). Anything else goes to the home page.
    redirect({ url, baseUrl }) {
      if (/[\u0000-\u001f\u007f\\]/.test(url)) return baseUrl;
      if (url.startsWith("/") && !url.startsWith("//")) return `${baseUrl}${url}`;
      try {
        if (new URL(url).origin === new URL(baseUrl).origin) return url;
      } catch {
        // not a URL: the home page
      }
      return baseUrl;
    },
    jwt({ token, user, account }) {
      const now = nowSeconds();
      // `user` is only present right after a successful sign-in.
      if (user?.id && user.role) {
        token.uid = user.id;
        token.role = user.role;
        token.sv = user.sessionVersion ?? 0;
        token.at = now;
        token.ls = now;
        // Single sign-on: MFA is the identity provider's (no TOTP step, no enrollment here).
        if (account?.type === "oidc") token.am = "oidc";
        else delete token.am;
        return token;
      }
      // Auth.js's own reads (GET /api/auth/session): the lifetime rules every request applies
      // through lib/auth/session-token.ts; null ends the session (clears the cookie).
      return continueSession(token, now);
    },
    session({ session, token }) {
      if (token.uid && token.role) {
        session.user.id = token.uid;
        session.user.role = token.role;
        session.user.sessionVersion = token.sv ?? 0;
        session.user.authTime = token.at ?? 0;
      }
      return session;
    },
  },
  logger: {
    // Auth.js prints a full stack for every wrong password; those are expected and audited.
    error(error) {
      if ((error as { type?: string }).type === "CredentialsSignin") return;
      console.error(`[auth] ${error.name}: ${error.message}`);
    },
    warn() {},
    debug() {},
  },
} satisfies NextAuthConfig;
