import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { BackLink } from "@/components/admin/back-link";
import { PolicyForm } from "@/components/sla/policy-form";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { listAllCategories } from "@/lib/categories/queries";
import { listCalendarsForAdmin, listPoliciesForAdmin } from "@/lib/sla/admin-queries";

export const metadata: Metadata = { title: "Policy" };

export default async function PolicyPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requirePagePermission("sla:manage");
  const { id } = await params;
  const [policies, calendars, categories] = await Promise.all([
    listPoliciesForAdmin(viewer),
    listCalendarsForAdmin(viewer),
    listAllCategories(),
  ]);
  const policy = policies.find((p) => p.id === id);
  if (!policy) notFound();
  // Archived categories stay listed while the policy names them.
  const offered = categories.filter((c) => !c.archived || policy.categoryIds.includes(c.id));
  return (
    <div className="max-w-3xl space-y-6">
      <BackLink href="/admin/service-levels">Service levels</BackLink>
      <PageHeader title={policy.name} />
      <Card>
        <CardContent>
          <PolicyForm policy={policy} calendars={calendars} categories={offered} />
        </CardContent>
      </Card>
    </div>
  );
}
