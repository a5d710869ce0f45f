import "server-only";
import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { authConfig } from "@/lib/auth/config";
import { authenticate } from "@/lib/auth/sign-in";
import { requestContextFrom } from "@/lib/request-context";

// The full Auth.js configuration for the Node runtime: the edge-safe config plus Credentials.
export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        return authenticate(credentials, requestContextFrom(request.headers));
      },
    }),
  ],
});
