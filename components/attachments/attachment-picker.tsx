"use client";
import { useId, useRef, type ChangeEvent } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { formatBytes } from "@/lib/attachments/schemas";
import { CameraIcon, CloseIcon, PaperclipIcon } from "./icons";
import { limitsText } from "./upload-rules";
import type { Upload, Uploads } from "./use-uploads";

export type AttachmentPickerProps = {
  /** The message's files (useUploads in the form). */
  uploads: Uploads;
  /** While the message is being sent: nothing may be added or removed. */
  disabled?: boolean;
  /** A form error on the message's files (e.g. the server refused one of the ids). */
  error?: string;
  className?: string;
};

/**
 * "Attach files" (and "Take photo" where the pointer is a finger), the limits before anything is
 * picked, and one row per file with its progress or refusal. Changes are announced politely.
 */
export function AttachmentPicker({
  uploads,
  disabled = false,
  error,
  className,
}: AttachmentPickerProps) {
  const files = useRef<HTMLInputElement>(null);
  const camera = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const photos = uploads.limits.kinds.includes("images");

  function picked(event: ChangeEvent<HTMLInputElement>) {
    const list = event.currentTarget.files;
    if (list) uploads.add(Array.from(list));
    // The same file may be picked again after a removal.
    event.currentTarget.value = "";
  }

  return (
    <div className={cn("min-w-0 space-y-2", className)} data-testid="attachment-picker">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <Button
          variant="secondary"
          size="sm"
          onClick={() => files.current?.click()}
          disabled={disabled}
          aria-describedby={hintId}
        >
          <PaperclipIcon /> Attach files
        </Button>
        {/* Phones and tablets: straight to the camera (when photos are allowed at all). */}
        {photos && (
          <span className="hidden pointer-coarse:inline-flex">
            <Button
              variant="secondary"
              size="sm"
              onClick={() => camera.current?.click()}
              disabled={disabled}
              aria-describedby={hintId}
            >
              <CameraIcon /> Take photo
            </Button>
          </span>
        )}
        <p id={hintId} className="text-xs text-fg-muted">
          {limitsText(uploads.limits)}. You can also drop files here or paste a screenshot.
        </p>
      </div>
      <input
        ref={files}
        type="file"
        multiple
        accept={uploads.limits.accept}
        onChange={picked}
        className="hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="attachment-input"
      />
      {photos && (
        <input
          ref={camera}
          type="file"
          accept="image/*"
          capture="environment"
          onChange={picked}
          className="hidden"
          tabIndex={-1}
          aria-hidden="true"
        />
      )}
      {uploads.uploads.length > 0 && (
        <ul aria-label="Attached files" className="space-y-2">
          {uploads.uploads.map((upload) => (
            <UploadRow
              key={upload.localId}
              upload={upload}
              disabled={disabled}
              onRemove={() => uploads.remove(upload.localId)}
            />
          ))}
        </ul>
      )}
      <div aria-live="polite" aria-atomic="true">
        {error && <p className="text-sm font-medium text-danger-text">{error}</p>}
      </div>
      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {uploads.announcement}
      </p>
    </div>
  );
}

function UploadRow({
  upload,
  disabled,
  onRemove,
}: {
  upload: Upload;
  disabled: boolean;
  onRemove: () => void;
}) {
  const failed = upload.state === "failed";
  return (
    <li
      data-testid="attachment-upload"
      data-state={upload.state}
      className={cn(
        "flex min-w-0 items-start gap-2 rounded-md border px-3 py-2 text-sm",
        failed
          ? "border-red-300 bg-red-50 dark:border-red-900 dark:bg-red-950/40"
          : "border-line bg-surface",
      )}
    >
      <PaperclipIcon className="mt-0.5 size-4 shrink-0 text-fg-muted" />
      <div className="min-w-0 flex-1 space-y-1">
        <p className="flex min-w-0 items-baseline gap-2">
          <span className="truncate font-medium text-fg" title={upload.name}>
            {upload.name}
          </span>
          <span className="shrink-0 text-xs text-fg-muted">{formatBytes(upload.size)}</span>
        </p>
        {upload.state === "uploading" && (
          <progress
            value={upload.progress}
            max={100}
            aria-label={`Uploading ${upload.name}`}
            className="block h-1.5 w-full accent-primary"
          />
        )}
        {upload.state === "done" && <p className="text-xs text-success-text">Uploaded</p>}
        {failed && <p className="font-medium wrap-anywhere text-danger-text">{upload.message}</p>}
      </div>
      <button
        type="button"
        onClick={onRemove}
        disabled={disabled}
        aria-label={`Remove ${upload.name}`}
        className="-my-1 -mr-2 inline-flex size-9 shrink-0 items-center justify-center rounded-md text-fg-muted hover:bg-surface-muted hover:text-fg disabled:opacity-60 pointer-coarse:size-11"
      >
        <CloseIcon />
      </button>
    </li>
  );
}
