import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/forms/login-form";
import { Card, CardContent } from "@/components/ui/card";
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
  }>;
}) {
  if (await currentUser()) redirect("/");
  const { callbackUrl, passwordChanged, mfaEnabled } = await searchParams;
  const destination = safeCallbackUrl(Array.isArray(callbackUrl) ? callbackUrl[0] : callbackUrl);

  return (
    <main className="flex min-h-dvh items-center justify-center px-4 py-10">
      <div className="w-full max-w-sm space-y-6">
        <div className="space-y-1 text-center">
          <p className="text-2xl font-bold tracking-tight">Tessera</p>
          <h1 className="text-lg text-fg-muted">Sign in to the help desk</h1>
        </div>
        <Card>
          <CardContent className="space-y-4">
            {/* Set after a password change on an MFA account: the new password needs a code. */}
            <FormSuccess
              message={
                passwordChanged === "1"
                  ? "Your password was changed. Sign in with the new password and a code."
                  : mfaEnabled === "1"
                    ? "Two-factor authentication is on. Sign in again with your password and a code."
                    : null
              }
            />
            <LoginForm callbackUrl={destination} />
          </CardContent>
        </Card>
        {env().TESSERA_DEMO && (
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
        )}
      </div>
    </main>
  );
}
