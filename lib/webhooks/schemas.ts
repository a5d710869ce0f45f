// Webhook inputs (ADR 027), shared by the admin form (zodResolver) and the server actions.
// Client-safe: no server-only imports. The URL is checked here for its form; whether its host is
// a private address is checked by the service at save time (lib/webhooks/ssrf.ts) and again
// before every delivery.
import { z } from "zod";
import { NUL_MESSAGE, storable } from "@/lib/text";
import { WEBHOOK_EVENTS } from "@/lib/webhooks/events";

export const URL_MAX = 2000;

/** Why a URL cannot be a webhook destination, or null when its form is fine. */
export function webhookUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter a full URL starting with https:// or http://.";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return "Only https:// and http:// URLs can receive webhooks.";
  }
  if (url.username || url.password) {
    return "Remove the user name and password from the URL: the signature proves who sent it.";
  }
  if (!url.hostname) return "Enter a host name.";
  if (url.hash) return "Remove the #fragment: it is never sent.";
  return null;
}

const NameSchema = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(100, "Use at most 100 characters.")
  .refine(storable, NUL_MESSAGE);

const UrlSchema = z
  .string({ error: "Enter a URL." })
  .trim()
  .min(1, "Enter a URL.")
  .max(URL_MAX, `Use at most ${URL_MAX} characters.`)
  .superRefine((value, ctx) => {
    const problem = webhookUrlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

// A group of checkboxes posts an array, a lone one `false` or its value: always an array here.
const EventsSchema = z.preprocess(
  (v) => (v === false || v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]),
  z
    .array(z.enum(WEBHOOK_EVENTS))
    .min(1, "Choose at least one event.")
    .max(WEBHOOK_EVENTS.length)
    .transform((list) => [...new Set(list)]),
);

const IdSchema = (what: string) =>
  z
    .string({ error: `Choose a ${what}.` })
    .trim()
    .min(1, `Choose a ${what}.`)
    .max(64, `Choose a ${what}.`);

const WebhookFields = z.object({
  name: NameSchema,
  url: UrlSchema,
  events: EventsSchema,
  /** The admin's explicit allowance of private, loopback and link-local destinations. */
  allowPrivate: z.boolean().default(false),
  active: z.boolean().default(true),
});

export const WebhookCreateSchema = WebhookFields;
export const WebhookUpdateSchema = WebhookFields.extend({ webhookId: IdSchema("webhook") });
export const WebhookIdSchema = z.object({ webhookId: IdSchema("webhook") });
export const DeliveryIdSchema = z.object({ deliveryId: IdSchema("delivery") });

export type WebhookValues = z.output<typeof WebhookCreateSchema>;
export type WebhookFormInput = z.input<typeof WebhookCreateSchema>;
