import type { Metadata } from "next";
import { TicketCreateForm } from "@/components/forms/ticket-create-form";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { can, canOnAny } from "@/lib/auth/permissions";
import { listActiveCategories } from "@/lib/categories/queries";
import { listRequesterOptions } from "@/lib/tickets/queries";

export const metadata: Metadata = { title: "New ticket" };

export default async function NewTicketPage() {
  const user = await requirePagePermission("ticket:create");
  const forOthers = canOnAny(user, "ticket:create");
  const [categories, requesters] = await Promise.all([
    listActiveCategories(),
    forOthers ? listRequesterOptions(user) : Promise.resolve(undefined),
  ]);
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader
        title="New ticket"
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
          />
        </CardContent>
      </Card>
    </div>
  );
}
