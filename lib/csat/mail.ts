// The "How did we do?" links of the resolved mail (issue 15 §4), made when the background job
// renders the mail (lib/email/notify.ts): the open survey of the ticket's latest resolution, if the
// recipient is its requester. No "server-only": the job also runs from scripts.
import type { Tx } from "@/lib/db";
import { CSAT_LABELS, CSAT_RATINGS } from "@/lib/csat/schemas";
import { csatLink } from "@/lib/csat/token";

export type CsatMailLink = { label: string; href: string };

export async function csatMailLinks(
  tx: Tx,
  publicUrl: string,
  ticketId: string,
  requesterId: string,
): Promise<CsatMailLink[] | null> {
  const survey = await tx.csatSurvey.findFirst({
    where: { ticketId, requesterId, answeredAt: null, expiresAt: { gt: new Date() } },
    orderBy: { resolvedAt: "desc" },
    select: { id: true },
  });
  if (!survey) return null;
  return CSAT_RATINGS.map((rating) => ({
    label: CSAT_LABELS[rating],
    href: csatLink(publicUrl, survey.id, rating),
  }));
}
