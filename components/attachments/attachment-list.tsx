"use client";
import { useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { formatBytes, type AttachmentListItem } from "@/lib/attachments/schemas";
import { FileIcon } from "./icons";
import { ImageViewer, attachmentUrl } from "./image-viewer";

export type AttachmentListProps = {
  attachments: AttachmentListItem[];
  /** The files of an internal note: amber like the note. */
  internal?: boolean;
  className?: string;
};

const THUMB = 96;

/** What a file that is not served says instead of a link (ADR 021: never served unless READY). */
const HELD: Record<Exclude<AttachmentListItem["state"], "READY">, string> = {
  QUARANTINED: "Scanning for viruses…",
  INFECTED: "Blocked: a virus was found",
};

/**
 * A message's files: images as thumbnails that open the viewer, everything else as a download
 * chip; a file the virus scan holds back as a chip that says so and links nowhere. Long names are
 * cut (the full name is the tooltip), never widening a phone's page.
 */
export function AttachmentList({ attachments, internal = false, className }: AttachmentListProps) {
  const ready = attachments.filter((a) => a.state === "READY");
  const images = ready.filter((a) => a.image);
  const files = ready.filter((a) => !a.image);
  const held = attachments.filter((a) => a.state !== "READY");
  const [open, setOpen] = useState<number | null>(null);
  const thumbs = useRef<(HTMLButtonElement | null)[]>([]);

  if (attachments.length === 0) return null;
  const chip = internal
    ? "border-amber-300 bg-amber-100/60 dark:border-amber-800 dark:bg-amber-900/30"
    : "border-line bg-surface-muted";

  return (
    <div className={cn("min-w-0 space-y-2", className)}>
      <ul
        aria-label={`Attachments (${attachments.length})`}
        className="flex min-w-0 flex-wrap gap-2"
        data-testid="attachment-list"
      >
        {images.map((a, i) => (
          <li key={a.id} data-testid="attachment" className="min-w-0">
            <button
              type="button"
              ref={(el) => {
                thumbs.current[i] = el;
              }}
              onClick={() => setOpen(i)}
              title={a.name}
              aria-label={`View ${a.name} (${formatBytes(a.size)})`}
              className={cn("block overflow-hidden rounded-md border hover:opacity-90", chip)}
            >
              {/* eslint-disable-next-line @next/next/no-img-element -- a protected route, not a static asset */}
              <img
                src={`${attachmentUrl(a.id)}/thumbnail`}
                alt={a.name}
                width={THUMB}
                height={THUMB}
                loading="lazy"
                decoding="async"
                className="size-24 object-cover"
              />
            </button>
          </li>
        ))}
        {files.map((a) => (
          <li key={a.id} data-testid="attachment" className="max-w-full min-w-0">
            <a
              href={`${attachmentUrl(a.id)}?download=1`}
              download={a.name}
              title={a.name}
              className={cn(
                "flex max-w-full min-w-0 items-center gap-2 rounded-md border px-3 py-2 text-sm text-fg hover:underline sm:max-w-xs pointer-coarse:min-h-11",
                chip,
              )}
            >
              <FileIcon className="size-4 shrink-0 text-fg-muted" />
              <span className="min-w-0 truncate font-medium">{a.name}</span>
              <span className="shrink-0 text-xs text-fg-muted">{formatBytes(a.size)}</span>
              <span className="sr-only">(download)</span>
            </a>
          </li>
        ))}
        {held.map((a) => {
          const state = a.state as keyof typeof HELD;
          return (
            <li
              key={a.id}
              data-testid="attachment"
              data-state={state}
              className="max-w-full min-w-0"
            >
              <span
                title={a.name}
                className={cn(
                  "flex max-w-full min-w-0 cursor-default items-center gap-2 rounded-md border border-dashed px-3 py-2 text-sm text-fg-muted sm:max-w-xs pointer-coarse:min-h-11",
                  state === "INFECTED"
                    ? "border-red-300 bg-red-50 dark:border-red-900 dark:bg-red-950/40"
                    : chip,
                )}
              >
                <FileIcon className="size-4 shrink-0" />
                <span className="min-w-0 truncate font-medium">{a.name}</span>
                <span
                  className={cn(
                    "shrink-0 text-xs",
                    state === "INFECTED" && "font-medium text-danger-text",
                  )}
                >
                  {HELD[state]}
                </span>
              </span>
            </li>
          );
        })}
      </ul>
      {images.length > 0 && (
        <ImageViewer
          images={images}
          index={open}
          onIndexChange={setOpen}
          onClose={() => {
            // Back to the thumbnail of the image last shown (← / → may have moved on).
            if (open !== null) thumbs.current[open]?.focus();
            setOpen(null);
          }}
        />
      )}
    </div>
  );
}
