import type { Metadata } from "next";
import Link from "next/link";
import { UserCreateForm } from "@/components/forms/user-create-form";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "New user" };

export default async function NewUserPage() {
  await requirePagePermission("user:manage");
  return (
    <div className="max-w-xl space-y-6">
      <p className="text-sm">
        <Link href="/admin/users" className="text-fg-muted hover:underline">
          ← Users
        </Link>
      </p>
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
