import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardHeader, CardTitle } from "@/components/ui/card";
import { FormSuccess } from "@/components/ui/form-message";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/guards";
import { navItemsFor } from "@/components/app-shell/nav-items";

export const metadata: Metadata = { title: "Home" };

const HEADINGS = {
  USER: { title: "Your help desk", description: "Report a problem and follow its progress." },
  TECHNICIAN: { title: "Technician desk", description: "Triage, take and resolve requests." },
  ADMIN: { title: "Administration", description: "People, categories and the audit trail." },
} as const;

export default async function HomePage({
  searchParams,
}: {
  searchParams: Promise<{ passwordChanged?: string }>;
}) {
  const user = await requirePageUser();
  const { passwordChanged } = await searchParams;
  const heading = HEADINGS[user.role];
  const shortcuts = navItemsFor(user).filter((item) => item.href !== "/");

  return (
    <div className="space-y-6">
      <PageHeader title={heading.title} description={heading.description} />
      <FormSuccess message={passwordChanged ? "Your password was changed." : null} />
      <p>
        Signed in as <strong>{user.name}</strong> ({user.email}).
      </p>
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {shortcuts.map((item) => (
          <li key={item.href}>
            <Link href={item.href} className="block h-full rounded-lg focus-visible:outline-2">
              <Card className="h-full transition-colors hover:bg-surface-muted">
                <CardHeader>
                  <CardTitle as="h2">{item.label}</CardTitle>
                </CardHeader>
              </Card>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
