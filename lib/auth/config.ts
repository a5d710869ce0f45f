// Edge-safe Auth.js configuration: no providers, no bcrypt, no database. The edge middleware
// builds its `auth()` from this; lib/auth/index.ts adds the Credentials provider for Node.
import type { NextAuthConfig } from "next-auth";
import type { Role } from "@/lib/auth/permissions";

declare module "next-auth" {
  interface User {
    role?: Role;
    sessionVersion?: number;
  }
  interface Session {
    user: { id: string; email: string; name: string; role: Role; sessionVersion: number };
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    uid?: string;
    role?: Role;
    sv?: number;
  }
}

/** A sign-in lasts at most this long; the guards re-check the user on every request. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

export const authConfig = {
  pages: { signIn: "/login", error: "/login" },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  providers: [],
  trustHost: process.env.AUTH_TRUST_HOST === "true" || undefined,
  callbacks: {
    jwt({ token, user }) {
      // `user` is only present right after a successful sign-in.
      if (user?.id && user.role) {
        token.uid = user.id;
        token.role = user.role;
        token.sv = user.sessionVersion ?? 0;
      }
      return token;
    },
    session({ session, token }) {
      if (token.uid && token.role) {
        session.user.id = token.uid;
        session.user.role = token.role;
        session.user.sessionVersion = token.sv ?? 0;
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
