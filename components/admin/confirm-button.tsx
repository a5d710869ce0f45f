"use client";
import { useState, type ReactNode } from "react";
import { Button, type ButtonVariant } from "@/components/ui/button";

/**
 * A two-step button for consequential actions: the first click asks, the second does it.
 * Inline rather than a modal, so it works the same on a phone and with a screen reader.
 */
export function ConfirmButton({
  label,
  confirmLabel,
  question,
  variant = "secondary",
  pending,
  disabled,
  onConfirm,
}: {
  label: ReactNode;
  confirmLabel: string;
  question: ReactNode;
  variant?: ButtonVariant;
  pending?: boolean;
  disabled?: boolean;
  onConfirm: () => void;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button variant={variant} size="sm" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-2" role="group" aria-label={confirmLabel}>
      <p className="text-sm">{question}</p>
      <Button
        variant={variant === "danger" ? "danger" : "primary"}
        size="sm"
        loading={pending}
        onClick={() => {
          onConfirm();
          setAsking(false);
        }}
      >
        {confirmLabel}
      </Button>
      <Button variant="ghost" size="sm" onClick={() => setAsking(false)}>
        Cancel
      </Button>
    </div>
  );
}
