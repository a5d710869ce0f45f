import "server-only";
// "How did we do?" (issue 15 §4). A survey is opened in the transaction of every change that
// resolves a ticket (one per resolution: unique on (ticket, resolvedAt), so a reopened and again
// resolved ticket asks again) and answered once: on the ticket page by its requester, or by the
// mailed link's token. The answer, its answeredAt and the "csat.answered" audit event commit
// together, and only while the survey is unanswered and not expired (one conditional UPDATE, so two
// answers racing cannot both land).
import { recordAudit, type AuditContext } from "@/lib/audit";
import { assertCanOn } from "@/lib/auth/permissions";
import { db, type Tx } from "@/lib/db";
import { NotFoundError, RateLimitedError, ValidationError } from "@/lib/errors";
import { Limiter, rateLimitStore } from "@/lib/rate-limit";
import type { Actor, ServiceContext } from "@/lib/service-context";
import {
  CSAT_TTL_DAYS,
  type CsatAnswerData,
  type CsatLinkAnswerData,
  type CsatRating,
} from "@/lib/csat/schemas";
import { csatToken, csatTokenHash } from "@/lib/csat/token";
import { withTicket } from "@/lib/tickets/mutation";
import type { TicketStatus } from "@/lib/tickets/status";

export const CSAT_LINK_INVALID =
  "This link has expired, was already used, or is not a survey link. Nothing was recorded.";
export const CSAT_CLOSED = "This survey was already answered or has expired.";
export const CSAT_NOT_FOUND = "Survey not found.";
export const CSAT_THANKS = "Thank you for your answer.";

/** The ticket as a change leaves it: what a survey keeps of its resolution. */
type ResolvedState = {
  id: string;
  status: TicketStatus;
  requesterId: string;
  assigneeId: string | null;
  categoryId: string;
  resolvedAt: Date | null;
};

/**
 * Called by every ticket write that can resolve (triage, status change, bulk) with the ticket
 * before and the changes it wrote, inside their transaction: a move to RESOLVED opens a survey
 * for that resolution. Anything else does nothing.
 */
export async function openSurveyOnResolve(
  tx: Tx,
  before: ResolvedState,
  changes: Partial<ResolvedState>,
): Promise<void> {
  const after = { ...before, ...changes };
  if (before.status === "RESOLVED" || after.status !== "RESOLVED" || !after.resolvedAt) return;
  // The id is made here so the token (an HMAC of it) is known before the insert.
  const id = `csat_${crypto.randomUUID().replaceAll("-", "")}`;
  await tx.csatSurvey.create({
    data: {
      id,
      ticketId: after.id,
      requesterId: after.requesterId,
      assigneeId: after.assigneeId,
      categoryId: after.categoryId,
      resolvedAt: after.resolvedAt,
      expiresAt: new Date(after.resolvedAt.getTime() + CSAT_TTL_DAYS * 86_400_000),
      tokenHash: csatTokenHash(csatToken(id)),
    },
  });
}

type Answer = { rating: CsatRating; comment: string };

/** Records the answer if the survey is still open; false when it was answered or expired. */
async function claim(tx: Tx, surveyId: string, answer: Answer, now: Date): Promise<boolean> {
  const written = await tx.csatSurvey.updateMany({
    where: { id: surveyId, answeredAt: null, expiresAt: { gt: now } },
    data: { rating: answer.rating, comment: answer.comment || null, answeredAt: now },
  });
  return written.count === 1;
}

async function auditAnswer(
  tx: Tx,
  actor: Actor,
  request: AuditContext | null | undefined,
  survey: { id: string; ticketId: string; ticketNumber: number },
  answer: Answer,
  via: "ticket" | "link",
) {
  await recordAudit(tx, {
    actor,
    action: "csat.answered",
    entityType: "Ticket",
    entityId: survey.ticketId,
    outcome: "SUCCESS",
    before: { rating: null },
    after: { rating: answer.rating },
    metadata: {
      number: survey.ticketNumber,
      surveyId: survey.id,
      commentLength: answer.comment.length,
      via,
    },
    context: request,
  });
}

/**
 * The requester answers on the ticket page ("csat:answer", own): a ticket the actor may not see
 * is a 404 and an audited probe (withTicket); a survey of another ticket or requester is not found.
 */
export async function answerSurvey(
  ctx: ServiceContext,
  input: CsatAnswerData,
): Promise<{ surveyId: string; rating: CsatRating }> {
  return withTicket(ctx, "csat.answer", input.ticketId, async (tx, ticket) => {
    assertCanOn(ctx.actor, "csat:answer", ticket.requesterId);
    const survey = await tx.csatSurvey.findFirst({
      where: { id: input.surveyId, ticketId: ticket.id, requesterId: ctx.actor.id },
      select: { id: true },
    });
    if (!survey) throw new NotFoundError(CSAT_NOT_FOUND);
    if (!(await claim(tx, survey.id, input, new Date()))) throw new ValidationError(CSAT_CLOSED);
    await auditAnswer(
      tx,
      ctx.actor,
      ctx.request,
      { id: survey.id, ticketId: ticket.id, ticketNumber: ticket.number },
      input,
      "ticket",
    );
    return { surveyId: survey.id, rating: input.rating };
  });
}

/** Link answers per ip: a guessed token finds nothing, and guessing is slowed down too. */
const LINK_RULE = { name: "csat-link-ip", limit: 30, windowSeconds: 15 * 60 };

/**
 * The mailed link's "Send" (a POST; opening the link records nothing). The token must match an
 * unanswered, unexpired survey of a ticket that still exists; the answer is recorded as its
 * requester's. Anything else changes nothing and says so.
 */
export async function answerSurveyByLink(
  input: CsatLinkAnswerData,
  request: AuditContext,
): Promise<{ ticketNumber: number; rating: CsatRating }> {
  const decision = await new Limiter(rateLimitStore(), LINK_RULE).consume(request.ip ?? "-");
  if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds);
  return db.$transaction(
    async (tx) => {
      const survey = await tx.csatSurvey.findUnique({
        where: { tokenHash: csatTokenHash(input.token) },
        select: {
          id: true,
          ticketId: true,
          ticket: { select: { number: true, deletedAt: true } },
          requester: { select: { id: true, email: true, role: true, active: true } },
        },
      });
      if (!survey || survey.ticket.deletedAt || !survey.requester.active) {
        throw new ValidationError(CSAT_LINK_INVALID);
      }
      if (!(await claim(tx, survey.id, input, new Date()))) {
        throw new ValidationError(CSAT_LINK_INVALID);
      }
      const { active: _active, ...actor } = survey.requester;
      await auditAnswer(
        tx,
        actor,
        request,
        { id: survey.id, ticketId: survey.ticketId, ticketNumber: survey.ticket.number },
        input,
        "link",
      );
      return { ticketNumber: survey.ticket.number, rating: input.rating };
    },
    { isolationLevel: "ReadCommitted" },
  );
}
