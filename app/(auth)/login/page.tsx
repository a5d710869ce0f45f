import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/forms/login-form";
import { AuthFrame } from "@/components/auth/auth-frame";
import { FormSuccess } from "@/components/ui/form-message";
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
  }>;
}) {
  if (await currentUser()) redirect("/");
  const { callbackUrl, passwordChanged, mfaEnabled, passwordReset } = await searchParams;
  const destination = safeCallbackUrl(Array.isArray(callbackUrl) ? callbackUrl[0] : callbackUrl);

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
