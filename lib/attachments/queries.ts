import "server-only";
// Reads of attachments, scoped to the viewer like every read: a file is visible when its ticket
// is (visibleTo) and, for a comment's file, when the comment is (an internal note's files are
// staff-only); an upload not yet sent with a message only to its uploader.
import { db } from "@/lib/db";
import type { AttachmentInfo } from "@/lib/attachments/schemas";
import type { Viewer } from "@/lib/service-context";
import { visibleComments, visibleTo } from "@/lib/tickets/queries";

const INFO = {
  id: true,
  name: true,
  size: true,
  contentType: true,
  thumbKey: true,
  commentId: true,
} as const;

function info(row: {
  id: string;
  name: string;
  size: number;
  contentType: string;
  thumbKey: string | null;
}): AttachmentInfo {
  return {
    id: row.id,
    name: row.name,
    size: row.size,
    contentType: row.contentType,
    image: row.thumbKey !== null,
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
 * message: `ticket` for the description, else the comment id.
 */
export async function ticketAttachments(
  viewer: Viewer,
  ticketId: string,
): Promise<{ ticket: AttachmentInfo[]; byComment: Map<string, AttachmentInfo[]> }> {
  const rows = await db.attachment.findMany({
    where: {
      ticketId,
      state: "READY",
      OR: [{ commentId: null }, { comment: { is: visibleComments(viewer) } }],
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: INFO,
  });
  const byComment = new Map<string, AttachmentInfo[]>();
  const ticket: AttachmentInfo[] = [];
  for (const row of rows) {
    if (row.commentId === null) ticket.push(info(row));
    else byComment.set(row.commentId, [...(byComment.get(row.commentId) ?? []), info(row)]);
  }
  return { ticket, byComment };
}
