import "server-only";
// "No, it still happens" (issue 11 §5): the requester says what is still wrong, and that reply
// reopens the resolved ticket. One action, one transaction: the status move (with its version
// check) and the public reply land together, or neither does.
import { assertCan } from "@/lib/auth/permissions";
import { renderedColumns } from "@/lib/markdown/render";
import { insertComment } from "@/lib/tickets/comments";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import {
  assertVersion,
  auditTicket,
  diffFields,
  updateIfVersion,
  withTicket,
  type TicketMutationResult,
} from "@/lib/tickets/mutation";
import type { ServiceContext } from "@/lib/service-context";
import type { TicketReopenData } from "@/lib/tickets/schemas";
import { STATUS_LABELS, checkTransition, statusTimestamps } from "@/lib/tickets/status";

/**
 * Reopens a RESOLVED ticket with a public reply saying what is still wrong. "ticket:close-reopen"
 * (the requester on their own ticket, staff on any) and "ticket:comment"; a ticket the actor may
 * not see is a 404 (and an audited probe). Audited as "ticket.reopen" (the status change, with
 * the comment's id) and "ticket.reply" (the comment), in the same transaction.
 */
export async function reopenTicket(
  ctx: ServiceContext,
  input: TicketReopenData,
): Promise<TicketMutationResult & { commentId: string }> {
  assertCan(ctx.actor, "ticket:close-reopen");
  assertCan(ctx.actor, "ticket:comment");
  const rendered = renderedColumns(input.body);
  return withTicket(ctx, "ticket.reopen", input.ticketId, async (tx, ticket) => {
    const verdict = checkTransition(
      { role: ctx.actor.role, isRequester: ticket.requesterId === ctx.actor.id },
      ticket.status,
      "OPEN",
    );
    if (verdict === "illegal") {
      const message = `Only a resolved ticket can be reopened; this one is ${STATUS_LABELS[ticket.status].toLowerCase()}.`;
      throw new ValidationError(message, { status: [message] });
    }
    if (verdict === "forbidden") {
      throw new ForbiddenError("You can only reopen your own resolved ticket.");
    }
    assertVersion(ticket, input.version);
    const comment = await insertComment(tx, {
      ticketId: ticket.id,
      authorId: ctx.actor.id,
      body: input.body,
      rendered,
      internal: false,
    });
    const diff = diffFields(ticket, {
      status: "OPEN" as const,
      ...statusTimestamps(ticket.status, "OPEN", comment.createdAt, ticket),
    });
    const result = await updateIfVersion(tx, ticket, input.version, diff.after, {
      updatedAt: comment.createdAt,
    });
    await auditTicket(tx, ctx, "ticket.reopen", ticket, {
      ...diff,
      metadata: { commentId: comment.id },
    });
    await auditTicket(tx, ctx, "ticket.reply", ticket, {
      metadata: { commentId: comment.id, internal: false, length: input.body.length },
    });
    return { ...result, commentId: comment.id };
  });
}
