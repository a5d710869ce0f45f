import type { Metadata } from "next";
import Link from "next/link";
import { AuthFrame } from "@/components/auth/auth-frame";
import { ResetPasswordForm } from "@/components/forms/reset-password-form";
import { ResetTokenSchema } from "@/lib/auth/reset-schemas";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string | string[] }>;
}) {
  const { token } = await searchParams;
  const parsed = ResetTokenSchema.safeParse(Array.isArray(token) ? token[0] : token);
  return (
    <AuthFrame title="Choose a new password" back>
      {parsed.success ? (
        <>
          <ResetPasswordForm token={parsed.data} />
          <p className="text-sm">
            Link expired?{" "}
            <Link href="/forgot-password" className="underline underline-offset-2">
              Ask for a new link
            </Link>
          </p>
        </>
      ) : (
        <p className="text-sm">
          This link is not complete. Copy the whole link from the email, or{" "}
          <Link href="/forgot-password" className="underline underline-offset-2">
            ask for a new one
          </Link>
          .
        </p>
      )}
    </AuthFrame>
  );
}
