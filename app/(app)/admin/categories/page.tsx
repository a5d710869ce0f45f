import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guards";
import { listAllCategories } from "@/lib/categories/queries";

export const metadata: Metadata = { title: "Categories" };

export default async function CategoriesPage() {
  await requirePageRole("ADMIN");
  const categories = await listAllCategories();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Categories"
        description="What people can file a ticket under, in this order."
      />
      {categories.length === 0 ? (
        <EmptyState title="No categories yet" />
      ) : (
        <ol className="divide-y divide-line rounded-lg border border-line bg-surface">
          {categories.map((c) => (
            <li key={c.id} className="flex items-center gap-3 px-4 py-3">
              <span className="flex-1">{c.name}</span>
              {c.archived && <Badge>archived</Badge>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
