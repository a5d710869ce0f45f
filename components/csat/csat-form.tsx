"use client";
// "How did we do?" (issue 15 §4): Good / Okay / Bad, an optional comment, and one Send. The same
// fields on the requester's ticket page and on the mailed link's page (which has no session: it
// sends the link's token instead of the survey's id).
import { useState } from "react";
import type { FieldValues, Path, UseFormReturn } from "react-hook-form";
import { ActionForm } from "@/components/forms/action-form";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import { answerCsatAction, answerCsatLinkAction } from "@/lib/csat/actions";
import {
  CSAT_COMMENT_MAX,
  CSAT_LABELS,
  CSAT_RATINGS,
  CsatAnswerSchema,
  CsatLinkAnswerSchema,
  type CsatRating,
} from "@/lib/csat/schemas";

type RatingValues = FieldValues & { rating?: CsatRating; comment?: string };

function RatingFields<T extends RatingValues>({
  form,
}: {
  form: UseFormReturn<T, unknown, unknown>;
}) {
  const chosen = form.watch("rating" as Path<T>) as CsatRating | undefined;
  const errors = form.formState.errors as {
    rating?: { message?: string };
    comment?: { message?: string };
  };
  return (
    <>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-fg">Your rating</legend>
        <div className="grid grid-cols-3 gap-2">
          {CSAT_RATINGS.map((rating) => (
            <label
              key={rating}
              className={cn(
                "flex min-h-11 cursor-pointer items-center justify-center rounded-md border px-3 py-2 text-sm font-semibold",
                "has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring",
                chosen === rating
                  ? "border-primary bg-surface text-fg ring-1 ring-primary"
                  : "border-line-strong bg-surface text-fg-muted",
              )}
            >
              <input
                type="radio"
                value={rating}
                className="sr-only"
                {...form.register("rating" as Path<T>)}
              />
              {CSAT_LABELS[rating]}
            </label>
          ))}
        </div>
        {errors.rating?.message && (
          <p className="text-sm text-red-700 dark:text-red-300">{errors.rating.message}</p>
        )}
      </fieldset>
      <Field
        label="Anything to add? (optional)"
        hint={`Plain text, at most ${CSAT_COMMENT_MAX.toLocaleString("en")} characters.`}
        error={errors.comment?.message}
      >
        <Textarea rows={3} maxLength={CSAT_COMMENT_MAX} {...form.register("comment" as Path<T>)} />
      </Field>
    </>
  );
}

const frame = "space-y-3";

/** On the ticket page, for its requester. */
export function CsatTicketForm({ ticketId, surveyId }: { ticketId: string; surveyId: string }) {
  const { form, onSubmit, pending, status } = useActionForm(CsatAnswerSchema, answerCsatAction, {
    defaultValues: { ticketId, surveyId, comment: "" },
    refresh: true,
    onSuccess: () => "Thank you for your answer.",
  });
  return (
    <ActionForm label="How did we do?" onSubmit={onSubmit} status={status} className={frame}>
      <RatingFields form={form} />
      <div className="flex justify-end">
        <Button type="submit" loading={pending}>
          Send
        </Button>
      </div>
    </ActionForm>
  );
}

/** On the mailed link's page: the rating from the link preselected, nothing sent until Send. */
export function CsatLinkForm({ token, rating }: { token: string; rating: CsatRating | null }) {
  const [done, setDone] = useState(false);
  const { form, onSubmit, pending, status } = useActionForm(
    CsatLinkAnswerSchema,
    answerCsatLinkAction,
    {
      defaultValues: { token, comment: "", ...(rating ? { rating } : {}) },
      onSuccess: () => {
        setDone(true);
        return "Thank you for your answer. It was sent to the help desk.";
      },
    },
  );
  return (
    <ActionForm label="How did we do?" onSubmit={onSubmit} status={status} className={frame}>
      {!done && (
        <>
          <RatingFields form={form} />
          <div className="flex justify-end">
            <Button type="submit" loading={pending}>
              Send
            </Button>
          </div>
        </>
      )}
    </ActionForm>
  );
}
