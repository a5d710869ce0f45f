import "server-only";
// Reads of "How did we do?": the requester's open survey on the ticket page, the staff view of a
// ticket's answers, and what the mailed link's page shows. Reads record nothing: in particular
// opening the link (mail scanners prefetch links) never answers.
import { can, canOn } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { ForbiddenError } from "@/lib/errors";
import type { CsatRating } from "@/lib/csat/schemas";
import { csatTokenHash } from "@/lib/csat/token";
import type { Viewer } from "@/lib/service-context";
import type { TicketStatus } from "@/lib/tickets/status";

export type RequesterSurvey =
  | { state: "open"; id: string; expiresAt: Date }
  | { state: "answered"; id: string; rating: CsatRating; comment: string | null };

/**
 * The survey the requester sees on their resolved (or closed) ticket: its latest resolution's,
 * open (unanswered, not expired) or answered; null for anyone else, other states, or none.
 */
export async function requesterSurvey(
  viewer: Viewer,
  ticket: { id: string; status: TicketStatus; requesterId: string },
  now = new Date(),
): Promise<RequesterSurvey | null> {
  if (ticket.status !== "RESOLVED" && ticket.status !== "CLOSED") return null;
  if (ticket.requesterId !== viewer.id || !canOn(viewer, "csat:answer", ticket.requesterId)) {
    return null;
  }
  const survey = await db.csatSurvey.findFirst({
    where: { ticketId: ticket.id, requesterId: viewer.id },
    orderBy: { resolvedAt: "desc" },
    select: { id: true, rating: true, comment: true, answeredAt: true, expiresAt: true },
  });
  if (!survey) return null;
  if (survey.answeredAt && survey.rating) {
    return { state: "answered", id: survey.id, rating: survey.rating, comment: survey.comment };
  }
  return survey.expiresAt > now
    ? { state: "open", id: survey.id, expiresAt: survey.expiresAt }
    : null;
}

export type SurveyResult = {
  id: string;
  resolvedAt: Date;
  rating: CsatRating | null;
  comment: string | null;
  answeredAt: Date | null;
  expired: boolean;
  assignee: string | null;
};

/** Every survey of a ticket, newest resolution first: staff only ("csat:read"). */
export async function ticketSurveyResults(
  viewer: Viewer,
  ticketId: string,
  now = new Date(),
): Promise<SurveyResult[]> {
  if (!can(viewer, "csat:read")) throw new ForbiddenError();
  const rows = await db.csatSurvey.findMany({
    where: { ticketId, ticket: { deletedAt: null } },
    orderBy: { resolvedAt: "desc" },
    take: 50,
    select: {
      id: true,
      resolvedAt: true,
      rating: true,
      comment: true,
      answeredAt: true,
      expiresAt: true,
      assignee: { select: { name: true } },
    },
  });
  return rows.map(({ expiresAt, assignee, ...r }) => ({
    ...r,
    expired: !r.answeredAt && expiresAt <= now,
    assignee: assignee?.name ?? null,
  }));
}

export type LinkSurvey =
  { state: "open"; ticketNumber: number } | { state: "answered" | "expired" | "unknown" };

/** What the link's page shows for a token. Records nothing. */
export async function surveyByToken(token: string, now = new Date()): Promise<LinkSurvey> {
  const survey = await db.csatSurvey.findUnique({
    where: { tokenHash: csatTokenHash(token) },
    select: {
      answeredAt: true,
      expiresAt: true,
      ticket: { select: { number: true, deletedAt: true } },
    },
  });
  if (!survey || survey.ticket.deletedAt) return { state: "unknown" };
  if (survey.answeredAt) return { state: "answered" };
  if (survey.expiresAt <= now) return { state: "expired" };
  return { state: "open", ticketNumber: survey.ticket.number };
}
