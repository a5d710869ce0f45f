// The one answer of every server action. No server-only code here: client components read it too.

export type FieldErrors = Record<string, string[]>;

/** A refusal always says why in `formError`; `fieldErrors` adds what belongs next to a field. */
export type ActionFailure = { ok: false; formError: string; fieldErrors?: FieldErrors };

export type ActionResult<T> = { ok: true; data: T } | ActionFailure;

/** The form message of an input that failed its schema; the reasons are in `fieldErrors`. */
export const INVALID_INPUT_MESSAGE = "Please correct the highlighted fields.";
