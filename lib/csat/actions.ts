"use server";
// "How did we do?" (issue 15 §4). On the ticket page the requester answers through defineAction
// ("csat:answer", own); the mailed link's page answers without a session, so like the password
// reset it parses with the form's schema itself and its token is the proof (lib/csat/service.ts
// checks it, its expiry and that it is unanswered; per-ip throttled).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/action";
import { INVALID_INPUT_MESSAGE, type ActionResult } from "@/lib/action-result";
import { CsatAnswerSchema, CsatLinkAnswerSchema, type CsatRating } from "@/lib/csat/schemas";
import { answerSurvey, answerSurveyByLink } from "@/lib/csat/service";
import { AppError } from "@/lib/errors";
import { requestLogger } from "@/lib/logger";
import { getRequestContext } from "@/lib/request-context";

export const answerCsatAction = defineAction({
  name: "csat.answer",
  schema: CsatAnswerSchema,
  permission: "csat:answer",
  handler: async (input, ctx) => {
    const result = await answerSurvey(ctx, input);
    revalidatePath("/tickets", "layout");
    return result;
  },
});

export async function answerCsatLinkAction(
  raw: unknown,
): Promise<ActionResult<{ ticketNumber: number; rating: CsatRating }>> {
  const parsed = CsatLinkAnswerSchema.safeParse(raw);
  if (!parsed.success) {
    const flat = z.flattenError(parsed.error);
    return {
      ok: false,
      formError: flat.formErrors[0] ?? INVALID_INPUT_MESSAGE,
      fieldErrors: flat.fieldErrors,
    };
  }
  const request = await getRequestContext();
  try {
    return { ok: true, data: await answerSurveyByLink(parsed.data, request) };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, formError: error.message };
    requestLogger(request.requestId, { action: "csat.answer_link" }).error(
      { err: error },
      "survey answer by link failed",
    );
    return {
      ok: false,
      formError: `Something went wrong on our side. Please try again. (reference ${request.requestId})`,
    };
  }
}
