import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BackLink } from "@/components/admin/back-link";
import { INBOUND_OUTCOME } from "@/components/admin/email-table";
import { FactList } from "@/components/admin/fact-list";
import { formatUtc } from "@/components/admin/format";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { getInbound } from "@/lib/email/queries";

export const metadata: Metadata = { title: "Received email" };

/** A message read from the mailbox: what came of it, and its text as it arrived. */
export default async function ReceivedEmailPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePagePermission("email:read");
  const mail = await getInbound(user, (await params).id);
  if (!mail) notFound();
  const facts = [
    ["From", mail.fromAddress],
    ["Received", formatUtc(mail.receivedAt)],
    ["What came of it", INBOUND_OUTCOME[mail.outcome] ?? mail.outcome],
    ["Detail", mail.detail ?? "none"],
    [
      "Ticket",
      mail.ticketNumber !== null ? (
        <Link href={`/tickets/${mail.ticketNumber}`} className="hover:underline">
          #{mail.ticketNumber}
        </Link>
      ) : (
        "none"
      ),
    ],
    ["Message-ID", mail.messageId ? `<${mail.messageId}>` : "none (keyed by its bytes)"],
    ["Mailbox", mail.mailbox],
  ] as const;
  return (
    <div className="space-y-6">
      <BackLink href="/admin/email?view=received">Received email</BackLink>
      <PageHeader title={mail.subject || "(no subject)"} />
      <Card>
        <CardContent>
          <FactList facts={facts} className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Text as received</CardTitle>
        </CardHeader>
        <CardContent>
          {/* Quoted history and signature included: the ticket keeps only the new part. */}
          <pre className="text-sm break-words whitespace-pre-wrap">{mail.originalText}</pre>
        </CardContent>
      </Card>
    </div>
  );
}
