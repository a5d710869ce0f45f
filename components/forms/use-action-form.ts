import { zodResolver } from "@hookform/resolvers/zod";
import {
  useForm,
  type FieldValues,
  type Path,
  type UseFormProps,
  type UseFormReturn,
} from "react-hook-form";
import type { z } from "zod";
import type { ActionResult } from "@/lib/action-result";
import { useAction, type Data, type Failure, type UseActionOptions } from "./use-action";

export type ActionFormOptions<TInput extends FieldValues, TOutput, R> = Pick<
  UseFormProps<TInput, unknown, TOutput>,
  "defaultValues" | "values" | "resetOptions"
> &
  UseActionOptions & {
    /** After a success; a returned string is shown as the confirmation. */
    onSuccess?: (
      data: Data<R>,
      form: UseFormReturn<TInput, unknown, TOutput>,
    ) => string | void | Promise<string | void>;
    /** After a refusal, once the messages are shown (e.g. clear a password, move the focus). */
    onFailure?: (
      failure: Failure<R>,
      form: UseFormReturn<TInput, unknown, TOutput>,
    ) => void | Promise<void>;
  };

/**
 * The one way a form talks to a server action: react-hook-form validating instantly with the
 * action's own zod schema, the action run in a transition, and its answer shown — the refusal and
 * confirmation through <FormMessage status={status} /> (which <ActionForm> puts first), each
 * field error through the field's <Field error={form.formState.errors.x?.message}>. Server field
 * errors on fields the form does not show (hidden ids, versions) join the form message instead of
 * disappearing.
 */
export function useActionForm<TInput extends FieldValues, TOutput, R extends ActionResult<unknown>>(
  schema: z.ZodType<TOutput, TInput>,
  action: (values: TOutput) => Promise<R>,
  { onSuccess, onFailure, refresh, ...formOptions }: ActionFormOptions<TInput, TOutput, R> = {},
) {
  const form = useForm<TInput, unknown, TOutput>({ ...formOptions, resolver: zodResolver(schema) });
  const { run, pending, status, setStatus } = useAction({ refresh });

  const onSubmit = form.handleSubmit((values, event) => {
    const element = event?.target instanceof HTMLFormElement ? event.target : null;
    run(() => action(values), {
      hasField: (name) => shows(element, name),
      onSuccess: (data) => onSuccess?.(data, form),
      onFailure: async (failure, fieldErrors) => {
        for (const [name, message] of Object.entries(fieldErrors)) {
          form.setError(name as Path<TInput>, { message });
        }
        await onFailure?.(failure, form);
      },
    });
  });

  return { form, onSubmit, pending, status, setStatus };
}

/** Whether the form has a visible control for `name` (values passed only as defaults have none). */
function shows(form: HTMLFormElement | null, name: string): boolean {
  const control = form?.elements.namedItem(name);
  return !!control && !(control instanceof HTMLInputElement && control.type === "hidden");
}
