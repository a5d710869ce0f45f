import "server-only";
// Reading saved views: only the viewer's own, each query re-parsed by the list's schema on use.
import { db } from "@/lib/db";
import { SAVED_VIEWS_MAX } from "@/lib/saved-views/schemas";
import type { Viewer } from "@/lib/service-context";
import { parseListQueryString, viewQueryString } from "@/lib/tickets/list-query";
import type { TicketListQuery } from "@/lib/tickets/schemas";

export type SavedView = { id: string; name: string; query: string; state: TicketListQuery };

/** The viewer's own views, oldest first; each query re-parsed (and re-written) by the list schema. */
export async function listSavedViews(viewer: Viewer): Promise<SavedView[]> {
  const rows = await db.savedView.findMany({
    where: { userId: viewer.id },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, name: true, query: true },
    take: SAVED_VIEWS_MAX,
  });
  return rows.map((row) => {
    const query = viewQueryString(row.query);
    return { id: row.id, name: row.name, query, state: parseListQueryString(query) };
  });
}
