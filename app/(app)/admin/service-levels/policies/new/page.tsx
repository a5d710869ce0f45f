import type { Metadata } from "next";
import { BackLink } from "@/components/admin/back-link";
import { PolicyForm } from "@/components/sla/policy-form";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { listActiveCategories } from "@/lib/categories/queries";
import { listCalendarsForAdmin } from "@/lib/sla/admin-queries";

export const metadata: Metadata = { title: "New policy" };

export default async function NewPolicyPage() {
  const viewer = await requirePagePermission("sla:manage");
  const [calendars, categories] = await Promise.all([
    listCalendarsForAdmin(viewer),
    listActiveCategories(),
  ]);
  return (
    <div className="max-w-3xl space-y-6">
      <BackLink href="/admin/service-levels">Service levels</BackLink>
      <PageHeader title="New policy" description="It is tried before the default policy." />
      <Card>
        <CardContent>
          <PolicyForm
            policy={{
              id: null,
              isDefault: false,
              name: "",
              active: true,
              priorities: [],
              categoryIds: [],
              calendarId: calendars[0]?.id ?? "",
              firstResponseMinutes: null,
              nextResponseMinutes: null,
              resolutionMinutes: null,
              atRiskPercent: 20,
            }}
            calendars={calendars}
            categories={categories}
          />
        </CardContent>
      </Card>
    </div>
  );
}
