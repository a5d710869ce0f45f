// Ticket input schemas, shared by the client forms (zodResolver) and the server actions, which
// parse with the SAME schema. Client-safe: no server imports. `z.coerce` where FormData sends text.
import { z } from "zod";
import { AttachmentIdsSchema } from "@/lib/attachments/schemas";
import { MIN_ISO_DAY, NUL_MESSAGE, storable } from "@/lib/text";
import { OptionalDurationSchema } from "@/lib/time/schemas";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "@/lib/tickets/status";

/** Services also take input from code that sends no files (tests, seeds, the CLI). */
type WithOptionalFiles<T extends { attachmentIds: string[] }> = Omit<T, "attachmentIds"> & {
  attachmentIds?: string[];
};

export const TITLE_MIN = 3;
export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 20_000;
export const COMMENT_MAX = 20_000;
export const BULK_MAX = 100;
export const PAGE_SIZE_DEFAULT = 25;
export const PAGE_SIZE_MAX = 100;

// Ids are opaque to the client; a malformed one simply finds nothing (404), so only cap length.
const id = z.string().trim().min(1, "Required.").max(64).refine(storable, NUL_MESSAGE);
const version = z.coerce.number().int().min(1);
/** "" (an empty <select>) means "none". */
const optionalId = z
  .union([id, z.literal(""), z.null()])
  .transform((v) => (v === "" || v === null ? null : v));

export const TitleSchema = z
  .string()
  .trim()
  .min(TITLE_MIN, `At least ${TITLE_MIN} characters.`)
  .max(TITLE_MAX, `A title is at most ${TITLE_MAX} characters: shorten it (nothing was cut).`)
  .refine(storable, NUL_MESSAGE);
export const DescriptionSchema = z
  .string()
  .trim()
  .max(DESCRIPTION_MAX, `At most ${DESCRIPTION_MAX.toLocaleString("en")} characters.`)
  .refine(storable, NUL_MESSAGE);
/** A comment's text; empty only when the comment carries files (TicketCommentSchema). */
export const CommentBodySchema = z
  .string()
  .trim()
  .max(COMMENT_MAX, `At most ${COMMENT_MAX.toLocaleString("en")} characters.`)
  .refine(storable, NUL_MESSAGE);

export const TicketStatusSchema = z.enum(TICKET_STATUSES);
export const TicketPrioritySchema = z.enum(TICKET_PRIORITIES);

/**
 * New ticket. `priority` and `requesterId` are for staff (a user sending them is refused).
 * `followUpOfId`: the closed ticket this one follows up ("Report a follow-up"); it must be one the
 * actor may read (a requester: their own).
 */
export const TicketCreateSchema = z.object({
  title: TitleSchema,
  description: DescriptionSchema.default(""),
  categoryId: id,
  priority: TicketPrioritySchema.optional(),
  requesterId: optionalId.optional(),
  followUpOfId: optionalId.optional(),
  /** Uploads of the actor (POST /api/attachments) that the ticket carries. */
  attachmentIds: AttachmentIdsSchema,
});
export type TicketCreateInput = z.input<typeof TicketCreateSchema>;
export type TicketCreateData = WithOptionalFiles<z.output<typeof TicketCreateSchema>>;

/** Any change to ticket fields names the version it started from (optimistic locking). */
export const TicketRefSchema = z.object({ ticketId: id, version });
export type TicketRefData = z.output<typeof TicketRefSchema>;

/** "No, it still happens": reopen a resolved ticket with a reply saying what is still wrong. */
export const TicketReopenSchema = TicketRefSchema.extend({
  body: z
    .string()
    .trim()
    .min(1, "Tell us what is still wrong.")
    .max(COMMENT_MAX, `At most ${COMMENT_MAX.toLocaleString("en")} characters.`)
    .refine(storable, NUL_MESSAGE),
});
export type TicketReopenInput = z.input<typeof TicketReopenSchema>;
export type TicketReopenData = z.output<typeof TicketReopenSchema>;

export const TicketEditSchema = TicketRefSchema.extend({
  title: TitleSchema,
  description: DescriptionSchema.default(""),
});
export type TicketEditInput = z.input<typeof TicketEditSchema>;
export type TicketEditData = z.output<typeof TicketEditSchema>;

export const TicketPriorityChangeSchema = TicketRefSchema.extend({
  priority: TicketPrioritySchema,
});
export type TicketPriorityChangeData = z.output<typeof TicketPriorityChangeSchema>;

export const TicketCategoryChangeSchema = TicketRefSchema.extend({ categoryId: id });
export type TicketCategoryChangeData = z.output<typeof TicketCategoryChangeSchema>;

/** assigneeId null or "" = unassign. */
export const TicketAssignSchema = TicketRefSchema.extend({ assigneeId: optionalId });
export type TicketAssignData = z.output<typeof TicketAssignSchema>;

export const TicketStatusChangeSchema = TicketRefSchema.extend({ status: TicketStatusSchema });
export type TicketStatusChangeData = z.output<typeof TicketStatusChangeSchema>;

/** A public reply or an internal note: text, files, or both (a pasted screenshot may say it all). */
export const TicketCommentSchema = z
  .object({
    ticketId: id,
    body: CommentBodySchema.default(""),
    attachmentIds: AttachmentIdsSchema,
  })
  .refine((c) => c.body !== "" || c.attachmentIds.length > 0, {
    path: ["body"],
    message: "Write something first.",
  });
export type TicketCommentInput = z.input<typeof TicketCommentSchema>;
export type TicketCommentData = WithOptionalFiles<z.output<typeof TicketCommentSchema>>;

export const COMMENT_VISIBILITIES = ["public", "internal"] as const;
export type CommentVisibility = (typeof COMMENT_VISIBILITIES)[number];

/**
 * The staff ticket page's one form (issue 11 §1): any of status, priority, category, assignee,
 * and a reply or internal note, applied together against ONE version. A field left out (or equal
 * to the current value) is not changed; `assigneeId` "" or null unassigns; an empty body writes
 * no comment.
 */
export const TicketTriageSchema = TicketRefSchema.extend({
  status: TicketStatusSchema.optional(),
  priority: TicketPrioritySchema.optional(),
  categoryId: id.optional(),
  assigneeId: optionalId.optional(),
  body: z
    .string()
    .trim()
    .max(COMMENT_MAX, `At most ${COMMENT_MAX.toLocaleString("en")} characters.`)
    .refine(storable, NUL_MESSAGE)
    .default(""),
  visibility: z.enum(COMMENT_VISIBILITIES).default("public"),
  /** Files of the reply or note (a message of files only is a comment too). */
  attachmentIds: AttachmentIdsSchema,
  /** "Time spent" (staff): logged as a time entry in the same transaction (lib/time). */
  timeSpent: OptionalDurationSchema,
});
export type TicketTriageInput = z.input<typeof TicketTriageSchema>;
export type TicketTriageData = WithOptionalFiles<z.output<typeof TicketTriageSchema>>;

export const TicketDeleteSchema = z.object({ ticketId: id });
export type TicketDeleteData = z.output<typeof TicketDeleteSchema>;

const ticketIds = z
  .array(id)
  .min(1, "Select at least one ticket.")
  .max(BULK_MAX, `At most ${BULK_MAX} tickets at a time.`)
  .transform((ids) => [...new Set(ids)]);

export const TicketBulkAssignSchema = z.object({ ticketIds, assigneeId: optionalId });
export type TicketBulkAssignData = z.output<typeof TicketBulkAssignSchema>;

export const TicketBulkStatusSchema = z.object({ ticketIds, status: TicketStatusSchema });
export type TicketBulkStatusData = z.output<typeof TicketBulkStatusSchema>;

// ---- list state, parsed from the URL (every field optional so a bookmark always parses) ----

export const TICKET_QUEUES = [
  "unassigned",
  "mine",
  "waiting",
  "at-risk",
  "open",
  "resolved",
] as const;
export type TicketQueue = (typeof TICKET_QUEUES)[number];

/**
 * The list's orders. The first five are the named ones (filters form, older bookmarks); the rest
 * are the table's column sorts, "<column>-asc" / "<column>-desc" (the default direction of a
 * column keeps the plain name where one exists: "updated" is newest first, "priority" urgent first).
 */
export const TICKET_SORTS = [
  "newest",
  "oldest",
  "updated",
  "priority",
  "resolved",
  "updated-asc",
  "priority-asc",
  "number-desc",
  "number-asc",
  "title-asc",
  "title-desc",
  "status-asc",
  "status-desc",
  "due",
  "due-desc",
] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];

/** Service level of the earliest due target (ADR 024): past due, in its "at risk" share, or not. */
export const SLA_FILTERS = ["breached", "at-risk", "on-track"] as const;
export type SlaFilter = (typeof SLA_FILTERS)[number];

/** Row height of the ticket table; remembered per browser in a cookie, or given by a saved view. */
export const LIST_DENSITIES = ["compact", "comfortable"] as const;
export type ListDensity = (typeof LIST_DENSITIES)[number];

/** One value or a comma-separated list / repeated param -> array. */
function list<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => {
    if (v === undefined || v === null || v === "") return undefined;
    const values = Array.isArray(v) ? v : [v];
    return values.flatMap((x) => String(x).split(",")).filter((x) => x !== "");
  }, z.array(item).max(20).optional());
}

const optionalText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.string().trim().max(max).refine(storable, NUL_MESSAGE).optional(),
  );

const dateOnly = z.preprocess(
  (v) => (v === "" ? undefined : v),
  z.iso
    .date({ message: "Use YYYY-MM-DD." })
    .refine((v) => v >= MIN_ISO_DAY, "Use YYYY-MM-DD.")
    .optional(),
);

/**
 * The list view as URL search params: /tickets?queue=unassigned&status=OPEN,ON_HOLD&q=vpn&cursor=...
 * `assignee`: a user id, "me" or "none". Dates are whole UTC days, `createdTo` inclusive.
 */
export const TicketListQuerySchema = z.object({
  queue: z.enum(TICKET_QUEUES).optional().catch(undefined),
  status: list(TicketStatusSchema).catch(undefined),
  priority: list(TicketPrioritySchema).catch(undefined),
  category: list(id).catch(undefined),
  assignee: optionalText(64),
  requester: optionalText(64),
  sla: z.enum(SLA_FILTERS).optional().catch(undefined),
  createdFrom: dateOnly.catch(undefined),
  createdTo: dateOnly.catch(undefined),
  q: optionalText(200),
  sort: z.enum(TICKET_SORTS).optional().catch(undefined),
  density: z.enum(LIST_DENSITIES).optional().catch(undefined),
  // A title sort carries a title (up to 200 characters, 4 bytes each) in its cursor.
  cursor: optionalText(2048),
  limit: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).optional().catch(undefined),
});
export type TicketListQuery = z.output<typeof TicketListQuerySchema>;

/** A list URL's search params as a query; a hand-edited URL never breaks the page: whatever
 * does not parse is dropped, the rest kept. */
export function parseTicketListQuery(
  raw: Record<string, string | string[] | undefined>,
): TicketListQuery {
  const parsed = TicketListQuerySchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const kept: Record<string, unknown> = { ...raw };
  for (const issue of parsed.error.issues) delete kept[String(issue.path[0])];
  return TicketListQuerySchema.safeParse(kept).data ?? {};
}
