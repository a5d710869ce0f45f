// "How did we do?" (issue 15 §4): the answer's schemas, shared by the forms (zodResolver) and the
// server actions, which parse with the SAME schema. Client-safe: no server imports.
import { z } from "zod";
import { NUL_MESSAGE, storable } from "@/lib/text";

export const CSAT_RATINGS = ["GOOD", "OKAY", "BAD"] as const;
export type CsatRating = (typeof CSAT_RATINGS)[number];

export const CSAT_LABELS: Record<CsatRating, string> = { GOOD: "Good", OKAY: "Okay", BAD: "Bad" };

/** A survey stays open this long after the resolution it asks about. */
export const CSAT_TTL_DAYS = 14;
export const CSAT_COMMENT_MAX = 2_000;

/** The rating in a link (`?rating=good`), or null for anything else. */
export function ratingFromParam(value: unknown): CsatRating | null {
  const upper = typeof value === "string" ? value.toUpperCase() : "";
  return (CSAT_RATINGS as readonly string[]).includes(upper) ? (upper as CsatRating) : null;
}

const id = z.string().trim().min(1, "Required.").max(64).refine(storable, NUL_MESSAGE);
const rating = z.enum(CSAT_RATINGS, { error: "Choose Good, Okay or Bad." });
/** Plain text, never HTML: it is shown as text (React escapes it) wherever it appears. */
const comment = z
  .string()
  .trim()
  .max(CSAT_COMMENT_MAX, `At most ${CSAT_COMMENT_MAX.toLocaleString("en")} characters.`)
  .refine(storable, NUL_MESSAGE)
  .default("");

/** On the ticket page, signed in as its requester. */
export const CsatAnswerSchema = z.object({ ticketId: id, surveyId: id, rating, comment });
export type CsatAnswerInput = z.input<typeof CsatAnswerSchema>;
export type CsatAnswerData = z.output<typeof CsatAnswerSchema>;

/** The token of the mailed link: base64url of an HMAC-SHA256 (43 characters). */
export const CsatTokenSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{43}$/, "This link is not complete.");

/** From the mailed link's page, without a session: the token is the proof. */
export const CsatLinkAnswerSchema = z.object({ token: CsatTokenSchema, rating, comment });
export type CsatLinkAnswerInput = z.input<typeof CsatLinkAnswerSchema>;
export type CsatLinkAnswerData = z.output<typeof CsatLinkAnswerSchema>;
