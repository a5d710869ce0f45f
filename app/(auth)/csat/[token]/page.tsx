import type { Metadata } from "next";
import { AuthFrame } from "@/components/auth/auth-frame";
import { CsatLinkForm } from "@/components/csat/csat-form";
import { surveyByToken } from "@/lib/csat/queries";
import { CsatTokenSchema, ratingFromParam } from "@/lib/csat/schemas";

// The resolved mail's one-click "How did we do?" link (issue 15 §4). Public: the token is the
// proof. Opening it records NOTHING (mail scanners prefetch links): it shows the rating from the
// link preselected and one Send button, which posts the answer (lib/csat/actions.ts).
export const metadata: Metadata = { title: "How did we do?", referrer: "no-referrer" };

const MESSAGES = {
  answered: "This survey was already answered. Thank you!",
  expired: "This survey has expired. Thank you anyway!",
  unknown: "This link is not a survey link, or it is not complete. Nothing was recorded.",
} as const;

export default async function CsatLinkPage({
  params,
  searchParams,
}: {
  params: Promise<{ token: string }>;
  searchParams: Promise<{ rating?: string | string[] }>;
}) {
  const [{ token }, { rating }] = await Promise.all([params, searchParams]);
  const parsed = CsatTokenSchema.safeParse(token);
  const survey = parsed.success ? await surveyByToken(parsed.data) : { state: "unknown" as const };
  return (
    <AuthFrame title="How did we do?">
      {survey.state === "open" ? (
        <>
          <p className="text-sm">
            Ticket #{survey.ticketNumber} was resolved. How did the help desk do?
          </p>
          <CsatLinkForm
            token={parsed.data!}
            rating={ratingFromParam(Array.isArray(rating) ? rating[0] : rating)}
          />
        </>
      ) : (
        <p className="text-sm" data-testid="csat-link-message">
          {MESSAGES[survey.state]}
        </p>
      )}
    </AuthFrame>
  );
}
