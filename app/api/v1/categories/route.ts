import { API_OPERATIONS } from "@/lib/api/operations";
import { categoryView } from "@/lib/api/results";
import { apiRoute } from "@/lib/api/route";
import { can } from "@/lib/auth/permissions";
import { listAllCategories } from "@/lib/categories/queries";
import { createCategory } from "@/lib/categories/service";

export const dynamic = "force-dynamic";

/** The new-ticket form's categories; admins (category:manage) also get the archived ones. */
export const GET = apiRoute(API_OPERATIONS["categories.list"], async (_input, { service }) => {
  const all = await listAllCategories();
  const admin = can(service.actor, "category:manage");
  return { items: all.filter((c) => admin || !c.archived).map(categoryView) };
});

export const POST = apiRoute(API_OPERATIONS["categories.create"], async ({ body }, { service }) =>
  categoryView(await createCategory(service, body)),
);
