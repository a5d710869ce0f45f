"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/action";
import { AcknowledgeAnomalySchema } from "@/lib/security/schemas";
import { acknowledgeAnomaly } from "@/lib/security/service";

/** "Acknowledge" on /admin/security: audited as security.anomaly_ack. */
export const acknowledgeAnomalyAction = defineAction({
  name: "security.anomaly_ack",
  schema: AcknowledgeAnomalySchema,
  permission: "security:anomalies",
  async handler(input, ctx) {
    const result = await acknowledgeAnomaly(ctx, input);
    revalidatePath("/admin/security");
    return result;
  },
});
