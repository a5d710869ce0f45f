// Canned responses (issue 15 §3): the inputs of the management forms and the server actions,
// parsed by both. Client-safe.
import { z } from "zod";
import { NUL_MESSAGE, storable } from "@/lib/text";

export const CANNED_TITLE_MAX = 120;
export const CANNED_BODY_MAX = 10_000;
/** Personal snippets per person, and shared ones: enough for a help desk, bounded for a phone. */
export const CANNED_PERSONAL_MAX = 100;
export const CANNED_SHARED_MAX = 400;
export const CANNED_QUERY_MAX = 100;

const id = z
  .string({ error: "Choose a response." })
  .trim()
  .min(1, "Choose a response.")
  .max(64, "Choose a response.")
  .refine(storable, "Choose a response.");

export const CannedTitleSchema = z
  .string({ error: "Enter a title." })
  .trim()
  .min(1, "Enter a title.")
  .max(CANNED_TITLE_MAX, `At most ${CANNED_TITLE_MAX} characters.`)
  .refine(storable, NUL_MESSAGE);

export const CannedBodySchema = z
  .string({ error: "Enter the text." })
  .trim()
  .min(1, "Enter the text.")
  .max(CANNED_BODY_MAX, `At most ${CANNED_BODY_MAX.toLocaleString("en")} characters.`)
  .refine(storable, NUL_MESSAGE);

/**
 * A new snippet: personal (createCannedResponseAction) or shared (createSharedCannedResponseAction,
 * admins). A snippet never moves between personal and shared.
 */
export const CannedCreateSchema = z.object({
  title: CannedTitleSchema,
  body: CannedBodySchema,
});
export type CannedCreateInput = z.input<typeof CannedCreateSchema>;

export const CannedUpdateSchema = z.object({
  cannedId: id,
  title: CannedTitleSchema,
  body: CannedBodySchema,
});
export type CannedUpdateInput = z.input<typeof CannedUpdateSchema>;

export const CannedDeleteSchema = z.object({ cannedId: id });

/** The picker's search: an optional text matched against titles and bodies. */
export const CannedSearchSchema = z.object({
  q: z
    .string()
    .trim()
    .max(CANNED_QUERY_MAX)
    .refine(storable, NUL_MESSAGE)
    .optional()
    .transform((v) => v || undefined),
});
