import type { Metadata } from "next";
import { TicketCreateForm } from "@/components/forms/ticket-create-form";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { attachmentLimits } from "@/lib/attachments/limits";
import { requirePagePermission } from "@/lib/auth/guards";
import { can, canOnAny } from "@/lib/auth/permissions";
import { listActiveCategories } from "@/lib/categories/queries";
import { getFollowUpTarget, listRequesterOptions } from "@/lib/tickets/queries";

export const metadata: Metadata = { title: "New ticket" };

type Props = { searchParams: Promise<{ followUp?: string | string[] }> };

export default async function NewTicketPage({ searchParams }: Props) {
  const user = await requirePagePermission("ticket:create");
  const forOthers = canOnAny(user, "ticket:create");
  // "Report a follow-up" on a closed ticket: ?followUp=<number>. Only a closed ticket the viewer
  // may read is offered; anything else is ignored here (and refused by the server on submit).
  const { followUp: rawFollowUp } = await searchParams;
  const followUpNumber =
    typeof rawFollowUp === "string" && /^\d{1,9}$/.test(rawFollowUp) ? Number(rawFollowUp) : null;
  const [categories, requesters, followUp, limits] = await Promise.all([
    listActiveCategories(),
    forOthers ? listRequesterOptions(user) : Promise.resolve(undefined),
    followUpNumber === null ? Promise.resolve(null) : getFollowUpTarget(user, followUpNumber),
    attachmentLimits(),
  ]);
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader
        title={followUp ? "Report a follow-up" : "New ticket"}
        description={
          forOthers
            ? "File a request for yourself or on behalf of someone."
            : "Tell us what is wrong. You will be able to follow the replies here."
        }
      />
      <Card>
        <CardContent>
          <TicketCreateForm
            categories={categories}
            requesters={requesters}
            canSetPriority={can(user, "ticket:triage")}
            followUp={followUp ?? undefined}
            attachmentLimits={limits}
          />
        </CardContent>
      </Card>
    </div>
  );
}
