import type { Metadata } from "next";
import QRCode from "qrcode";
import { formatUtc } from "@/components/admin/format";
import { MfaCodeAction } from "@/components/mfa/mfa-code-action";
import { MfaEnrollment } from "@/components/mfa/mfa-enrollment";
import { StartMfaButton } from "@/components/mfa/start-mfa-button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { mfaRequiredFor } from "@/lib/auth/mfa/policy";
import { pendingEnrollment } from "@/lib/auth/mfa/service";
import { groupKey } from "@/lib/auth/mfa/totp";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Two-factor authentication" };

export default async function MfaPage() {
  const user = await requirePagePermission("account:manage", { allowMfaEnrollment: true });
  const required = mfaRequiredFor(user.role, env().TESSERA_STAFF_MFA);
  const row = await db.user.findUniqueOrThrow({
    where: { id: user.id },
    select: {
      mfaEnabledAt: true,
      _count: { select: { mfaRecoveryCodes: { where: { usedAt: null } } } },
    },
  });
  const pending = row.mfaEnabledAt ? null : await pendingEnrollment(user);
  const qr = pending ? await QRCode.toDataURL(pending.uri, { margin: 1, width: 220 }) : null;

  return (
    <div className="max-w-2xl space-y-6">
      <PageHeader
        title="Two-factor authentication"
        description={
          user.mfaEnrollmentRequired
            ? "Your role requires two-factor authentication. Set it up to continue: until then, only your account settings are available."
            : "A code from an authenticator app, asked for after your password."
        }
      />
      {row.mfaEnabledAt ? (
        <>
          <Card>
            <CardHeader>
              <CardTitle>On</CardTitle>
              <CardDescription>
                Since {formatUtc(row.mfaEnabledAt)}. {row._count.mfaRecoveryCodes} unused recovery
                code{row._count.mfaRecoveryCodes === 1 ? "" : "s"} left.
              </CardDescription>
            </CardHeader>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Recovery codes</CardTitle>
              <CardDescription>
                New codes replace the old ones, which stop working. Enter a current code from your
                app to confirm.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <MfaCodeAction kind="regenerate" />
            </CardContent>
          </Card>
          {!required && (
            <Card>
              <CardHeader>
                <CardTitle>Turn off</CardTitle>
                <CardDescription>Sign-in will only ask for your password.</CardDescription>
              </CardHeader>
              <CardContent>
                <MfaCodeAction kind="disable" />
              </CardContent>
            </Card>
          )}
        </>
      ) : pending && qr ? (
        <MfaEnrollment qr={qr} manualKey={groupKey(pending.secret)} />
      ) : (
        <Card>
          <CardHeader>
            <CardTitle>Off</CardTitle>
            <CardDescription>
              You need an authenticator app (for example Aegis, Google Authenticator, 1Password or
              Microsoft Authenticator) on your phone or computer.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <StartMfaButton />
          </CardContent>
        </Card>
      )}
    </div>
  );
}
