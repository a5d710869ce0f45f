import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { BackLink } from "@/components/admin/back-link";
import { EMAIL_STATUS } from "@/components/admin/email-table";
import { FactList } from "@/components/admin/fact-list";
import { formatUtc } from "@/components/admin/format";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { getEmail } from "@/lib/email/queries";

export const metadata: Metadata = { title: "Email" };

export default async function EmailDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePagePermission("email:read");
  const mail = await getEmail(user, (await params).id);
  if (!mail) notFound();
  const facts = [
    ["To", mail.toAddress],
    ["Kind", mail.kind],
    ["Status", EMAIL_STATUS[mail.status]?.label ?? mail.status],
    ["Attempts", String(mail.attempts)],
    ["Last error", mail.lastError ?? "none"],
    ["Queued", formatUtc(mail.createdAt)],
    ["Sent", mail.sentAt ? formatUtc(mail.sentAt) : "not yet"],
    ["Message-ID", `<${mail.messageId}>`],
    ...Object.entries(mail.headers).map(([k, v]) => [k, v] as const),
  ] as const;
  return (
    <div className="space-y-6">
      <BackLink href="/admin/email">Email</BackLink>
      <PageHeader title={mail.subject} />
      <Card>
        <CardContent>
          <FactList facts={facts} className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>HTML part</CardTitle>
        </CardHeader>
        <CardContent>
          {/* Our own rendering, user text escaped; still sandboxed: no scripts, no same origin. */}
          <iframe
            title="HTML part of the email"
            sandbox=""
            srcDoc={mail.html}
            className="h-[32rem] w-full rounded-md border border-line bg-white"
          />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Text part</CardTitle>
        </CardHeader>
        <CardContent>
          <pre className="text-sm break-words whitespace-pre-wrap">{mail.text}</pre>
        </CardContent>
      </Card>
    </div>
  );
}
