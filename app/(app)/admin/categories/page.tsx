import type { Metadata } from "next";
import { CategoryCreateForm } from "@/components/forms/category-create-form";
import { CategoryRow } from "@/components/forms/category-row";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { listCategoriesForAdmin } from "@/lib/categories/queries";
import { listStaffOptions } from "@/lib/users/queries";

export const metadata: Metadata = { title: "Categories" };

export default async function CategoriesPage() {
  const viewer = await requirePagePermission("category:manage");
  const [categories, staffRows] = await Promise.all([
    listCategoriesForAdmin(viewer),
    listStaffOptions(viewer),
  ]);
  const staff = staffRows.map((s) => ({ id: s.id, name: `${s.name} (${s.email})` }));
  return (
    <div className="space-y-6">
      <PageHeader
        title="Categories"
        description="What people can file a ticket under, in this order. Archived categories disappear from new-ticket forms and stay on old tickets. A default assignee receives new tickets of the category."
      />
      <Card>
        <CardHeader>
          <CardTitle>New category</CardTitle>
        </CardHeader>
        <CardContent>
          <CategoryCreateForm staff={staff} />
        </CardContent>
      </Card>
      {categories.length === 0 ? (
        <EmptyState title="No categories yet" />
      ) : (
        <ol className="divide-y divide-line rounded-lg border border-line bg-surface">
          {categories.map((c, i) => (
            <CategoryRow
              key={c.id}
              category={c}
              staff={staff}
              first={i === 0}
              last={i === categories.length - 1}
            />
          ))}
        </ol>
      )}
    </div>
  );
}
