"use client";
import { useEffect, useId, type FormEvent } from "react";
import type { FieldValues, Path, PathValue, UseFormSetValue } from "react-hook-form";
import { useFileDrop } from "./use-file-drop";
import type { Uploads } from "./use-uploads";

/**
 * The files of a message form, wired the one way every form does it: the form's `attachmentIds`
 * follows the finished uploads, the form takes dropped and pasted files, and a submit waits for
 * running uploads (Ctrl+Enter submits by script, past the disabled button). `waitId` names the
 * "Waiting for uploads…" note the submit button points to.
 */
export function useMessageFiles<T extends FieldValues & { attachmentIds?: string[] }>(
  setValue: UseFormSetValue<T>,
  uploads: Uploads,
  onSubmit: (event: FormEvent<HTMLFormElement>) => unknown,
  pending: boolean,
) {
  useEffect(
    () => setValue("attachmentIds" as Path<T>, uploads.ids as PathValue<T, Path<T>>),
    [setValue, uploads.ids],
  );
  const drop = useFileDrop(uploads.add, pending);
  const waitId = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    if (uploads.busy) event.preventDefault();
    else void onSubmit(event);
  };
  return { drop, waitId, submit };
}
