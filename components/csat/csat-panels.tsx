// "How did we do?" on the ticket page (issue 15 §4): the requester's question (or their answer),
// and the staff view of every resolution's answer. Comments are plain text: React escapes them.
import { CsatTicketForm } from "@/components/csat/csat-form";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { When } from "@/components/ui/when";
import { CSAT_LABELS, type CsatRating } from "@/lib/csat/schemas";
import type { RequesterSurvey, SurveyResult } from "@/lib/csat/queries";

const TONES: Record<CsatRating, BadgeTone> = { GOOD: "success", OKAY: "warning", BAD: "danger" };

export function CsatRatingBadge({ rating }: { rating: CsatRating }) {
  return <Badge tone={TONES[rating]}>{CSAT_LABELS[rating]}</Badge>;
}

export function CsatRequesterPanel({
  ticketId,
  survey,
}: {
  ticketId: string;
  survey: RequesterSurvey;
}) {
  return (
    <section
      aria-labelledby="csat-heading"
      className="space-y-3 rounded-lg border border-line bg-surface p-4"
      data-testid="csat-panel"
    >
      <h2 id="csat-heading" className="text-sm font-medium text-fg">
        How did we do?
      </h2>
      {survey.state === "open" ? (
        <CsatTicketForm ticketId={ticketId} surveyId={survey.id} />
      ) : (
        <p className="text-sm text-fg-muted">
          You rated this <CsatRatingBadge rating={survey.rating} />. Thank you for your answer.
        </p>
      )}
    </section>
  );
}

export function CsatResults({ results }: { results: SurveyResult[] }) {
  return (
    <section
      aria-labelledby="csat-results-heading"
      className="space-y-2"
      data-testid="csat-results"
    >
      <h2 id="csat-results-heading" className="text-sm font-semibold">
        Satisfaction
      </h2>
      {results.length === 0 ? (
        <p className="text-sm text-fg-muted">Not resolved yet: no survey.</p>
      ) : (
        <ul className="space-y-2 text-sm">
          {results.map((r) => (
            <li key={r.id} className="space-y-1">
              <p className="flex flex-wrap items-center gap-2">
                {r.rating ? (
                  <CsatRatingBadge rating={r.rating} />
                ) : (
                  <span className="text-fg-muted">
                    {r.expired ? "No answer" : "Not answered yet"}
                  </span>
                )}
                <span className="text-xs text-fg-muted">
                  resolved <When date={r.resolvedAt} />
                  {r.assignee ? ` by ${r.assignee}` : ""}
                </span>
              </p>
              {r.comment && (
                <p className="wrap-anywhere whitespace-pre-wrap text-fg" data-testid="csat-comment">
                  {r.comment}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
