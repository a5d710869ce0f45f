"use client";
import { useEffect, useId, useRef, type KeyboardEvent } from "react";
import { buttonVariants } from "@/components/ui/button";
import { formatBytes, type AttachmentInfo } from "@/lib/attachments/schemas";
import { ChevronIcon, CloseIcon } from "./icons";

export type ImageViewerProps = {
  /** The images of one message, in order. */
  images: AttachmentInfo[];
  /** The one shown; null = closed. */
  index: number | null;
  /** ← / → and the previous / next buttons. */
  onIndexChange: (index: number) => void;
  /** After the dialog closed (Esc, the Close button); the list moves the focus back. */
  onClose: () => void;
};

export const attachmentUrl = (id: string) => `/api/attachments/${encodeURIComponent(id)}`;

/**
 * An image at full size in a native modal <dialog>: the page behind is inert, Esc closes it,
 * ← and → move between the images of the same message.
 */
export function ImageViewer({ images, index, onIndexChange, onClose }: ImageViewerProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const image = index === null ? undefined : images[index];
  const open = image !== undefined;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const count = images.length;
  const go = (step: number) => {
    if (index === null || count < 2) return;
    onIndexChange((index + step + count) % count);
  };

  function onKeyDown(event: KeyboardEvent<HTMLDialogElement>) {
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      if (count < 2) return;
      event.preventDefault();
      go(event.key === "ArrowLeft" ? -1 : 1);
    }
  }

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      onKeyDown={onKeyDown}
      // A click on the backdrop (the dialog element itself, outside the content) closes it.
      onClick={(event) => {
        if (event.target === event.currentTarget) event.currentTarget.close();
      }}
      data-testid="image-viewer"
      className="m-auto max-h-[calc(100dvh-1rem)] w-[min(64rem,calc(100vw-1rem))] max-w-none rounded-lg border border-line bg-surface p-0 text-fg shadow-xl backdrop:bg-black/70"
    >
      {image && (
        <div className="flex max-h-[calc(100dvh-1rem)] flex-col">
          <header className="flex min-w-0 items-center gap-2 border-b border-line p-3">
            <div className="min-w-0 flex-1">
              <h2 id={titleId} className="truncate text-sm font-semibold" title={image.name}>
                {image.name}
              </h2>
              <p className="text-xs text-fg-muted">
                {formatBytes(image.size)}
                {count > 1 && ` · ${index! + 1} of ${count}`}
              </p>
            </div>
            <a
              href={`${attachmentUrl(image.id)}?download=1`}
              download={image.name}
              className={buttonVariants({ variant: "secondary", size: "sm" })}
            >
              Download
            </a>
            <form method="dialog">
              <button
                type="submit"
                aria-label="Close"
                autoFocus
                className="inline-flex size-11 items-center justify-center rounded-md text-fg-muted hover:bg-surface-muted hover:text-fg"
              >
                <CloseIcon className="size-5" />
              </button>
            </form>
          </header>
          <div className="relative flex min-h-0 flex-1 items-center justify-center bg-surface-muted p-2">
            {/* eslint-disable-next-line @next/next/no-img-element -- a protected route, not a static asset */}
            <img
              key={image.id}
              src={attachmentUrl(image.id)}
              alt={image.name}
              className="max-h-[calc(100dvh-8rem)] max-w-full object-contain"
            />
            {count > 1 && (
              <>
                <NavButton direction="left" onClick={() => go(-1)} />
                <NavButton direction="right" onClick={() => go(1)} />
              </>
            )}
          </div>
        </div>
      )}
    </dialog>
  );
}

function NavButton({ direction, onClick }: { direction: "left" | "right"; onClick: () => void }) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-label={direction === "left" ? "Previous image" : "Next image"}
      aria-keyshortcuts={direction === "left" ? "ArrowLeft" : "ArrowRight"}
      className={`absolute top-1/2 ${direction === "left" ? "left-2" : "right-2"} inline-flex size-11 -translate-y-1/2 items-center justify-center rounded-full bg-black/50 text-white hover:bg-black/70`}
    >
      <ChevronIcon direction={direction} />
    </button>
  );
}
