import "server-only";
// Ticket reads the REST API needs beyond the pages' (lib/tickets/queries.ts): a ticket's number
// to its id for the services, and keyset pages of its comments. Reads are scoped to the viewer
// like every ticket read; an unknown or hidden ticket is the same NotFoundError.
import { db } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { storedHtml } from "@/lib/markdown/render";
import type { Viewer } from "@/lib/service-context";
import { TICKET_NOT_FOUND } from "@/lib/tickets/mutation";
import { visibleComments, visibleTo } from "@/lib/tickets/queries";

/**
 * The id of ticket `number` for a write. Not scoped: the service loads the ticket as the actor
 * may see it, audits a probe of a hidden one and answers it like an unknown one (NotFoundError).
 */
export async function ticketIdForWrite(number: number): Promise<string> {
  const row = await db.ticket.findFirst({
    where: { number, deletedAt: null },
    select: { id: true },
  });
  if (!row) throw new NotFoundError(TICKET_NOT_FOUND);
  return row.id;
}

/** The id of ticket `number` if the viewer may read it; NotFoundError otherwise. */
export async function visibleTicketId(viewer: Viewer, number: number): Promise<string> {
  const row = await db.ticket.findFirst({
    where: { number, ...visibleTo(viewer) },
    select: { id: true },
  });
  if (!row) throw new NotFoundError(TICKET_NOT_FOUND);
  return row.id;
}

const COMMENT_PAGE_DEFAULT = 50;

/**
 * A page of the ticket's comments the viewer may read (a requester never gets an internal
 * note), oldest first; `after` is the last comment id of the previous page.
 */
export async function listTicketComments(
  viewer: Viewer,
  ticketId: string,
  options: { after?: string; limit?: number },
) {
  const limit = options.limit ?? COMMENT_PAGE_DEFAULT;
  const where = { ticketId, ...visibleComments(viewer) };
  let cursor: { createdAt: Date; id: string } | null = null;
  if (options.after) {
    cursor = await db.ticketComment.findFirst({
      where: { ...where, id: options.after },
      select: { createdAt: true, id: true },
    });
    if (!cursor) return { items: [], nextAfter: null };
  }
  const rows = await db.ticketComment.findMany({
    where: cursor
      ? {
          AND: [
            where,
            {
              OR: [
                { createdAt: { gt: cursor.createdAt } },
                { createdAt: cursor.createdAt, id: { gt: cursor.id } },
              ],
            },
          ],
        }
      : where,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit + 1,
    select: {
      id: true,
      body: true,
      bodyHtml: true,
      bodyHtmlVersion: true,
      internal: true,
      createdAt: true,
      author: { select: { id: true, name: true, role: true } },
    },
  });
  const page = rows.slice(0, limit);
  return {
    items: page.map(({ bodyHtml, bodyHtmlVersion, ...c }) => ({
      ...c,
      html: storedHtml(c.body, bodyHtml, bodyHtmlVersion),
    })),
    nextAfter: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
