// The account page's email settings: which notifications to get, which categories to follow.
// Shared by the form (client) and the action (server).
import { z } from "zod";
import { NOTIFICATION_KIND_NAMES } from "@/lib/email/kinds";

// A group of checkboxes posts an array, a lone one `false` or its value: always an array here.
const checkboxes = <T extends z.ZodType>(item: T, max: number) =>
  z.preprocess(
    (v) => (v === false || v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]),
    z
      .array(item)
      .max(max)
      .transform((list) => [...new Set(list)]),
  );

export const NotificationSettingsSchema = z.object({
  /** The kinds to receive; every other kind the role may get is turned off. */
  on: checkboxes(z.enum(NOTIFICATION_KIND_NAMES), NOTIFICATION_KIND_NAMES.length),
  /** Categories whose new tickets to hear about (staff only). */
  follow: checkboxes(z.string().trim().min(1).max(64), 500),
});
export type NotificationSettingsInput = z.input<typeof NotificationSettingsSchema>;
export type NotificationSettingsData = z.output<typeof NotificationSettingsSchema>;
