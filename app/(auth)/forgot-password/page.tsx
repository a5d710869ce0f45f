import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthFrame } from "@/components/auth/auth-frame";
import { ForgotPasswordForm } from "@/components/forms/forgot-password-form";
import { currentUser } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "Forgot password" };

export default async function ForgotPasswordPage() {
  if (await currentUser()) redirect("/account/password");
  return (
    <AuthFrame title="Forgot your password?" back>
      <p className="text-sm text-fg-muted">
        Enter the email address you sign in with. We will send a link to choose a new password.
      </p>
      <ForgotPasswordForm />
    </AuthFrame>
  );
}
