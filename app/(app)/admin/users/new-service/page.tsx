import type { Metadata } from "next";
import { BackLink } from "@/components/admin/back-link";
import { ServiceAccountCreateForm } from "@/components/forms/service-account-create-form";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "New service account" };

export default async function NewServiceAccountPage() {
  await requirePagePermission("user:manage");
  return (
    <div className="max-w-xl space-y-6">
      <BackLink href="/admin/users">Users</BackLink>
      <PageHeader
        title="New service account"
        description="An account for an integration (monitoring, chat, HR): it uses API tokens only, never signs in, and needs no MFA. Its tokens are made on its page."
      />
      <Card>
        <CardContent>
          <ServiceAccountCreateForm />
        </CardContent>
      </Card>
    </div>
  );
}
