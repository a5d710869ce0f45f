import { z } from "zod";

/** An anomaly's id (a bigint, as digits). FormData-safe. */
export const AnomalyIdSchema = z
  .string()
  .trim()
  .regex(/^\d{1,19}$/, "Unknown anomaly.");

export const AcknowledgeAnomalySchema = z.object({ anomalyId: AnomalyIdSchema });
export type AcknowledgeAnomalyInput = z.input<typeof AcknowledgeAnomalySchema>;
export type AcknowledgeAnomalyData = z.output<typeof AcknowledgeAnomalySchema>;

export const AnomalyListSchema = z.object({
  show: z.enum(["open", "all"]).catch("open"),
});
