import { INVALID_INPUT_MESSAGE, type ActionFailure } from "@/lib/action-result";

export type FailureMessages = {
  /** For the form's message area. */
  formError: string;
  /** The first message of each field the form shows, for its <Field>. */
  fieldErrors: Record<string, string>;
};

/**
 * Splits a refusal between the form's fields and its message area. A field error goes next to
 * its field when the form shows that field; the others (a hidden id, a stale version, or no form
 * at all) join the form message, so nothing the server said is lost. "Please correct the
 * highlighted fields." is replaced when there is no field to highlight.
 */
export function failureMessages(
  failure: Pick<ActionFailure, "formError" | "fieldErrors">,
  hasField: (name: string) => boolean,
): FailureMessages {
  const fieldErrors: Record<string, string> = {};
  const elsewhere: string[] = [];
  for (const [name, messages] of Object.entries(failure.fieldErrors ?? {})) {
    const first = messages?.find(Boolean);
    if (!first) continue;
    if (hasField(name)) fieldErrors[name] = first;
    else elsewhere.push(first);
  }
  const placed = Object.keys(fieldErrors).length > 0;
  const lead =
    failure.formError === INVALID_INPUT_MESSAGE && !placed && elsewhere.length > 0
      ? []
      : [failure.formError];
  const formError = [...new Set([...lead, ...elsewhere].filter(Boolean))].join(" ");
  return { formError, fieldErrors };
}
