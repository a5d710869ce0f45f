// Saved personal views of the ticket list: the forms and the server actions parse with these.
// Client-safe. The query is the list's URL query string; the server re-parses it with the list's
// own schema (lib/tickets/list-query.ts) when it saves it and again whenever it uses it.
import { z } from "zod";
import { NUL_MESSAGE, storable } from "@/lib/text";

export const SAVED_VIEW_NAME_MAX = 60;
export const SAVED_VIEW_QUERY_MAX = 2000;
/** Views per person: enough for a working day's queues, few enough to pin as tabs. */
export const SAVED_VIEWS_MAX = 20;

const id = z.string().trim().min(1, "Required.").max(64).refine(storable, NUL_MESSAGE);

export const SavedViewNameSchema = z
  .string()
  .trim()
  .min(1, "Give the view a name.")
  .max(SAVED_VIEW_NAME_MAX, `At most ${SAVED_VIEW_NAME_MAX} characters.`)
  .refine(storable, NUL_MESSAGE);

export const SavedViewCreateSchema = z.object({
  name: SavedViewNameSchema,
  query: z
    .string()
    .max(SAVED_VIEW_QUERY_MAX, "This view is too long to save.")
    .refine(storable, NUL_MESSAGE),
});
export type SavedViewCreateInput = z.input<typeof SavedViewCreateSchema>;

export const SavedViewRenameSchema = z.object({ viewId: id, name: SavedViewNameSchema });
export type SavedViewRenameInput = z.input<typeof SavedViewRenameSchema>;

export const SavedViewDeleteSchema = z.object({ viewId: id });
