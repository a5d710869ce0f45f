// The Email page's filters, from the query string.
import { z } from "zod";
import { EMAIL_STATUSES } from "@/lib/email/statuses";

const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);

export const EmailListSchema = z.object({
  /** "sent": what we queued; "received": what was read from the mailbox. */
  view: z.preprocess(one, z.enum(["sent", "received"]).catch("sent")),
  status: z.preprocess(one, z.enum(EMAIL_STATUSES).optional().catch(undefined)),
  to: z.preprocess(one, z.string().trim().max(320).optional().catch(undefined)),
  before: z.preprocess(
    one,
    z
      .string()
      .regex(/^\d{1,19}$/)
      .optional()
      .catch(undefined),
  ),
});
