import "server-only";
// Public replies and internal notes. Comments are immutable (a trigger refuses UPDATE) and feed
// the search vectors through a trigger: replies the requester-visible one, notes the staff one.
import { auditedFiles, claimAttachments } from "@/lib/attachments/claim";
import { assertCan, canOnAny } from "@/lib/auth/permissions";
import { renderedColumns } from "@/lib/markdown/render";
import { ValidationError } from "@/lib/errors";
import {
  auditTicket,
  resultOf,
  withTicket,
  type TicketMutationResult,
} from "@/lib/tickets/mutation";
import type { Tx } from "@/lib/db";
import type { ServiceContext } from "@/lib/service-context";
import type { TicketCommentData } from "@/lib/tickets/schemas";
import type { TicketStatus } from "@/lib/tickets/status";

export type CommentResult = { commentId: string; ticket: TicketMutationResult };

export const CLOSED_MESSAGE = "This ticket is closed. Open a new ticket if the problem is back.";

/**
 * The one INSERT of a comment (reply, note, reopening reply, triage reply), with the HTML
 * rendered before the transaction (renderedColumns: bounded, lib/markdown/render.ts).
 */
export async function insertComment(
  tx: Tx,
  comment: {
    ticketId: string;
    authorId: string;
    body: string;
    rendered: { html: string; version: number };
    internal: boolean;
    /** The author's uploads the comment carries (lib/attachments/claim.ts). */
    attachmentIds?: readonly string[];
  },
): Promise<{ id: string; createdAt: Date; files: ReturnType<typeof auditedFiles> }> {
  const { rendered, attachmentIds = [], ...fields } = comment;
  const row = await tx.ticketComment.create({
    data: { ...fields, bodyHtml: rendered.html, bodyHtmlVersion: rendered.version },
    select: { id: true, createdAt: true },
  });
  const claimed = await claimAttachments(tx, comment.authorId, attachmentIds, {
    ticketId: comment.ticketId,
    commentId: row.id,
  });
  return { ...row, files: auditedFiles(claimed) };
}

/** The audit metadata of a comment's files, when it has any. */
export function filesMetadata(files: ReturnType<typeof auditedFiles>) {
  return files.length > 0 ? { attachments: files } : {};
}

/**
 * A public reply (requester on their own ticket, staff on any). Side effects, in the same
 * transaction: the first staff reply sets firstResponseAt and opens a NEW ticket; a requester's
 * reply on a ticket waiting for them (ON_HOLD) moves it back to OPEN.
 */
export async function addReply(
  ctx: ServiceContext,
  input: TicketCommentData,
): Promise<CommentResult> {
  assertCan(ctx.actor, "ticket:comment");
  // Rendered once, here, outside the transaction (bounded: lib/markdown/render.ts).
  const rendered = renderedColumns(input.body);
  return withTicket(ctx, "ticket.reply", input.ticketId, async (tx, ticket) => {
    if (ticket.status === "CLOSED")
      throw new ValidationError(CLOSED_MESSAGE, { body: [CLOSED_MESSAGE] });
    const isRequester = ticket.requesterId === ctx.actor.id;
    // A reply by someone who may answer on anyone's ticket, on someone else's: the help desk.
    const staffResponse = canOnAny(ctx.actor, "ticket:comment") && !isRequester;
    const comment = await insertComment(tx, {
      ticketId: ticket.id,
      authorId: ctx.actor.id,
      body: input.body,
      rendered,
      internal: false,
      attachmentIds: input.attachmentIds,
    });

    let nextStatus: TicketStatus | null = null;
    if (staffResponse && ticket.status === "NEW") nextStatus = "OPEN";
    if (isRequester && ticket.status === "ON_HOLD") nextStatus = "OPEN";
    // Guarded on the status we read: if someone moved it meanwhile, their move stands.
    if (nextStatus) {
      await tx.ticket.updateMany({
        where: { id: ticket.id, status: ticket.status },
        data: { status: nextStatus, version: { increment: 1 } },
      });
    }
    if (staffResponse && !ticket.firstResponseAt) {
      await tx.ticket.updateMany({
        where: { id: ticket.id, firstResponseAt: null },
        data: { firstResponseAt: comment.createdAt },
      });
    }
    const after = await tx.ticket.update({
      where: { id: ticket.id },
      data: { updatedAt: comment.createdAt },
      select: { version: true, status: true, firstResponseAt: true },
    });

    const before: Record<string, unknown> = {};
    const changed: Record<string, unknown> = {};
    if (after.status !== ticket.status) {
      before.status = ticket.status;
      changed.status = after.status;
    }
    if (!ticket.firstResponseAt && after.firstResponseAt) {
      before.firstResponseAt = null;
      changed.firstResponseAt = after.firstResponseAt;
    }
    await auditTicket(tx, ctx, "ticket.reply", ticket, {
      before,
      after: changed,
      metadata: {
        commentId: comment.id,
        internal: false,
        length: input.body.length,
        ...filesMetadata(comment.files),
      },
    });
    return {
      commentId: comment.id,
      ticket: {
        id: ticket.id,
        number: ticket.number,
        version: after.version,
        status: after.status,
      },
    };
  });
}

/**
 * A staff-only note. It deliberately touches nothing a requester can see: not updatedAt, not
 * the version, not the status, so its existence cannot leak through "last updated" or sorting.
 */
export async function addInternalNote(
  ctx: ServiceContext,
  input: TicketCommentData,
): Promise<CommentResult> {
  assertCan(ctx.actor, "ticket:note");
  const rendered = renderedColumns(input.body);
  return withTicket(ctx, "ticket.note", input.ticketId, async (tx, ticket) => {
    const comment = await insertComment(tx, {
      ticketId: ticket.id,
      authorId: ctx.actor.id,
      body: input.body,
      rendered,
      internal: true,
      attachmentIds: input.attachmentIds,
    });
    await auditTicket(tx, ctx, "ticket.note", ticket, {
      metadata: {
        commentId: comment.id,
        internal: true,
        length: input.body.length,
        ...filesMetadata(comment.files),
      },
    });
    return { commentId: comment.id, ticket: resultOf(ticket) };
  });
}
