"use client";
import { useRef, useState, type ClipboardEvent, type DragEvent } from "react";
import { filesOf, namePasted, pasteIsFiles } from "./upload-rules";

const carriesFiles = (event: DragEvent) => event.dataTransfer.types.includes("Files");

/**
 * Files dropped anywhere on a form, and files (a screenshot) pasted into its message box, join
 * the message. Spread `dropProps` on the <form>, `onPaste` on the textarea; `dragging` is for the
 * highlight. Pasting text is left alone: only a paste that carries files is taken over.
 */
export function useFileDrop(add: (files: File[]) => void, disabled = false) {
  const [dragging, setDragging] = useState(false);
  // dragenter/dragleave fire for every child crossed: count them, highlight while inside.
  const depth = useRef(0);

  const dropProps = {
    onDragEnter: (event: DragEvent<HTMLElement>) => {
      if (disabled || !carriesFiles(event)) return;
      event.preventDefault();
      depth.current += 1;
      setDragging(true);
    },
    onDragOver: (event: DragEvent<HTMLElement>) => {
      if (disabled || !carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    },
    onDragLeave: (event: DragEvent<HTMLElement>) => {
      if (disabled || !carriesFiles(event)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    },
    onDrop: (event: DragEvent<HTMLElement>) => {
      depth.current = 0;
      setDragging(false);
      if (disabled) return;
      const files = filesOf(event.dataTransfer);
      if (files.length === 0) return;
      event.preventDefault();
      add(files);
    },
  };

  const onPaste = (event: ClipboardEvent<HTMLElement>) => {
    if (disabled || !event.clipboardData) return;
    if (!pasteIsFiles(Array.from(event.clipboardData.types))) return;
    const files = filesOf(event.clipboardData);
    if (files.length === 0) return;
    event.preventDefault();
    add(namePasted(files, new Date()));
  };

  return { dragging, dropProps, onPaste };
}
