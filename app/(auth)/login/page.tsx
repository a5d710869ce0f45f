import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/forms/login-form";
import { AuthFrame } from "@/components/auth/auth-frame";
import { FormSuccess } from "@/components/ui/form-message";
import { SsoButton } from "@/components/auth/sso-button";
import { ssoConfig } from "@/lib/auth/sso/config";
import { ssoMessage } from "@/lib/auth/sso/messages";
import { currentUser } from "@/lib/auth/guards";
import { safeCallbackUrl } from "@/lib/auth/schemas";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };

const DEMO_ACCOUNTS = ["admin@demo.tessera", "tech@demo.tessera", "user@demo.tessera"];

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{
    callbackUrl?: string | string[];
    passwordChanged?: string | string[];
    mfaEnabled?: string | string[];
    passwordReset?: string | string[];
    sso?: string | string[];
    error?: string | string[];
  }>;
}) {
  if (await currentUser()) redirect("/");
  const { callbackUrl, passwordChanged, mfaEnabled, passwordReset, sso, error } =
    await searchParams;
  const destination = safeCallbackUrl(Array.isArray(callbackUrl) ? callbackUrl[0] : callbackUrl);
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const single = ssoConfig();

  return (
    <AuthFrame
      title="Sign in to the help desk"
      after={
        <>
          <p className="text-center text-sm">
            <Link href="/forgot-password" className="underline underline-offset-2">
              Forgot your password?
            </Link>
          </p>
          {env().TESSERA_DEMO && <DemoAccounts />}
        </>
      }
    >
      {/* Set after a password change on an MFA account: the new password needs a code. */}
      <FormSuccess
        message={
          passwordChanged === "1"
            ? "Your password was changed. Sign in with the new password and a code."
            : mfaEnabled === "1"
              ? "Two-factor authentication is on. Sign in again with your password and a code."
              : passwordReset === "1"
                ? "Your new password is set and every session was signed out. Sign in with it."
                : null
        }
      />
      {single && (
        <>
          <SsoRefusal message={ssoMessage(first(sso), first(error))} />
          <SsoButton label={single.label} callbackUrl={destination} />
          <p className="text-center text-sm text-fg-muted">
            {single.passwordSignIn === "admins"
              ? "Or, local administrators only: email and password"
              : "Or with email and password"}
          </p>
        </>
      )}
      <LoginForm callbackUrl={destination} />
    </AuthFrame>
  );
}

function DemoAccounts() {
  return (
    <aside
      className="rounded-md border border-line bg-surface-muted p-4 text-sm"
      aria-label="Demo accounts"
    >
      <p className="font-medium">Demo accounts</p>
      <ul className="mt-1 space-y-0.5 font-mono text-xs break-all">
        {DEMO_ACCOUNTS.map((email) => (
          <li key={email}>{email}</li>
        ))}
      </ul>
      <p className="mt-1">
        Password: <span className="font-mono text-xs">tessera-demo-password</span>
      </p>
    </aside>
  );
}

/** Why the last single sign-on was refused (its own test id: the form has its own error). */
function SsoRefusal({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p
      role="alert"
      data-testid="sso-error"
      className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200"
    >
      {message}
    </p>
  );
}
