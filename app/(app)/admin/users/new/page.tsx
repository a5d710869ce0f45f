import type { Metadata } from "next";
import { BackLink } from "@/components/admin/back-link";
import { UserCreateForm } from "@/components/forms/user-create-form";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "New user" };

export default async function NewUserPage() {
  await requirePagePermission("user:manage");
  return (
    <div className="max-w-xl space-y-6">
      <BackLink href="/admin/users">Users</BackLink>
      <PageHeader
        title="New user"
        description="Tessera generates a one-time password; the person must change it at first sign-in."
      />
      <Card>
        <CardContent>
          <UserCreateForm />
        </CardContent>
      </Card>
    </div>
  );
}
