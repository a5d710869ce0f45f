import "server-only";
// Reads of attachments, scoped to the viewer like every read: a file is visible when its ticket
// is (visibleTo) and, for a comment's file, when the comment is (an internal note's files are
// staff-only); an upload not yet sent with a message only to its uploader.
import { db } from "@/lib/db";
import type { AttachmentListItem } from "@/lib/attachments/schemas";
import type { Viewer } from "@/lib/service-context";
import { visibleComments, visibleTo } from "@/lib/tickets/queries";

const INFO = {
  id: true,
  name: true,
  size: true,
  contentType: true,
  thumbKey: true,
  commentId: true,
  state: true,
} as const;

/** Listed, though only READY files are served: the others as a chip saying why not. */
const LISTED = ["READY", "QUARANTINED", "INFECTED"] as const;

function info(row: {
  id: string;
  name: string;
  size: number;
  contentType: string;
  thumbKey: string | null;
  state: string;
}): AttachmentListItem {
  const state = row.state as AttachmentListItem["state"];
  return {
    id: row.id,
    name: row.name,
    size: row.size,
    contentType: row.contentType,
    // A quarantined image has a thumbnail already, but nothing of it is served before the scan.
    image: row.thumbKey !== null && state === "READY",
    state,
  };
}

/** One file the viewer may download, or null (absent, not theirs to see, or not READY). */
export function findVisibleAttachment(viewer: Viewer, id: string) {
  return db.attachment.findFirst({
    where: {
      id,
      state: "READY",
      OR: [
        {
          ticket: visibleTo(viewer),
          OR: [{ commentId: null }, { comment: { is: visibleComments(viewer) } }],
        },
        { ticketId: null, uploaderId: viewer.id },
      ],
    },
    select: {
      id: true,
      storageKey: true,
      thumbKey: true,
      name: true,
      contentType: true,
      size: true,
      ticketId: true,
      commentId: true,
    },
  });
}

/**
 * The files of a ticket the viewer may see (the caller has checked the ticket itself), by
 * message: `ticket` for the description, else the comment id. Files waiting for the virus scan
 * and files it blocked are listed with their state (never served: findVisibleAttachment).
 */
export async function ticketAttachments(
  viewer: Viewer,
  ticketId: string,
): Promise<{ ticket: AttachmentListItem[]; byComment: Map<string, AttachmentListItem[]> }> {
  const rows = await db.attachment.findMany({
    where: {
      ticketId,
      state: { in: [...LISTED] },
      OR: [{ commentId: null }, { comment: { is: visibleComments(viewer) } }],
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: INFO,
  });
  const byComment = new Map<string, AttachmentListItem[]>();
  const ticket: AttachmentListItem[] = [];
  for (const row of rows) {
    if (row.commentId === null) ticket.push(info(row));
    else byComment.set(row.commentId, [...(byComment.get(row.commentId) ?? []), info(row)]);
  }
  return { ticket, byComment };
}
