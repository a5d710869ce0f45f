import "server-only";
// Reading canned responses: what the viewer may insert and manage, shared ones and their own
// personal ones, never anyone else's (the owner is part of the query itself). Sorted by title;
// an optional search matches titles and bodies. Requesters have no "canned:use": refused.
import { assertCan, can } from "@/lib/auth/permissions";
import { CANNED_PERSONAL_MAX, CANNED_SHARED_MAX } from "@/lib/canned/schemas";
import { db } from "@/lib/db";
import type { Viewer } from "@/lib/service-context";
import { escapeLike } from "@/lib/text";

export type CannedResponseItem = {
  id: string;
  title: string;
  body: string;
  shared: boolean;
  /** The viewer may edit and delete it (their own; a shared one for admins). */
  editable: boolean;
  updatedAt: Date;
};

export async function listCannedResponses(
  viewer: Viewer,
  filter: { q?: string } = {},
): Promise<CannedResponseItem[]> {
  assertCan(viewer, "canned:use");
  const q = filter.q?.trim();
  const rows = await db.cannedResponse.findMany({
    where: {
      OR: [{ ownerId: null }, { ownerId: viewer.id }],
      ...(q && {
        AND: {
          OR: [
            { title: { contains: escapeLike(q), mode: "insensitive" } },
            { body: { contains: escapeLike(q), mode: "insensitive" } },
          ],
        },
      }),
    },
    orderBy: [{ title: "asc" }, { id: "asc" }],
    select: { id: true, title: true, body: true, ownerId: true, updatedAt: true },
    take: CANNED_PERSONAL_MAX + CANNED_SHARED_MAX,
  });
  const manager = can(viewer, "canned:manage");
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    body: row.body,
    shared: row.ownerId === null,
    editable: row.ownerId === null ? manager : true,
    updatedAt: row.updatedAt,
  }));
}
