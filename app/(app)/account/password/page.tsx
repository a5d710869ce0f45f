import type { Metadata } from "next";
import { PasswordChangeForm } from "@/components/forms/password-change-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { SignOutEverywhere } from "../sign-out-everywhere";

export const metadata: Metadata = { title: "Change password" };

export default async function ChangePasswordPage() {
  // An account page: open while a password change or the MFA setup is due.
  const user = await requirePagePermission("account:manage", {
    allowPasswordChange: true,
    allowMfaEnrollment: true,
  });
  return (
    <div className="max-w-lg space-y-6">
      <PageHeader
        title="Change password"
        description={
          user.mustChangePassword
            ? "Your password was set by an administrator. Choose your own before you continue."
            : "Changing your password signs you out on every other device."
        }
      />
      <Card>
        <CardContent>
          <PasswordChangeForm />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Sessions</CardTitle>
          <CardDescription>
            Lost a device or signed in on a shared computer? End every session of your account,
            including this one.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <SignOutEverywhere />
        </CardContent>
      </Card>
    </div>
  );
}
