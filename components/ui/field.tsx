import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from "react";
import { cn } from "./cn";
import { Label } from "./label";

/** What <Field> wires onto its control. */
export type FieldControlProps = {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
  "aria-required"?: true;
};

export type FieldProps = {
  label: ReactNode;
  /** Keeps the label for screen readers only, where the row around the control says enough. */
  hideLabel?: boolean;
  /** The control's id; taken from the child's `id`, else generated. */
  id?: string;
  hint?: ReactNode;
  /** One message or several (e.g. zod issues); empty means valid. */
  error?: string | string[] | null;
  required?: boolean;
  className?: string;
  /**
   * The control: an element (Input, Textarea, Select, or anything accepting FieldControlProps)
   * that is cloned with the wiring, or a function that receives it and spreads it itself.
   */
  children: ReactElement<Partial<FieldControlProps>> | ((control: FieldControlProps) => ReactNode);
};

/** Ids used by a field, so tests and custom controls can find the hint and error regions. */
export function fieldIds(id: string) {
  return { hint: `${id}-hint`, error: `${id}-error` };
}

/**
 * Label + control + hint + error. The error region is always rendered with aria-live so screen
 * readers announce errors that appear after typing, and it is referenced from the control via
 * aria-describedby only while there is an error.
 */
export function Field({
  label,
  hideLabel,
  id,
  hint,
  error,
  required,
  className,
  children,
}: FieldProps) {
  const generated = useId();
  const childId = isValidElement(children) ? children.props.id : undefined;
  const controlId = id ?? childId ?? generated;
  const ids = fieldIds(controlId);
  const messages = (Array.isArray(error) ? error : [error]).filter((m): m is string => !!m);
  const invalid = messages.length > 0;

  const ownDescribedBy = isValidElement(children) ? children.props["aria-describedby"] : undefined;
  const describedBy =
    [ownDescribedBy, hint ? ids.hint : undefined, invalid ? ids.error : undefined]
      .filter(Boolean)
      .join(" ") || undefined;

  const control: FieldControlProps = {
    id: controlId,
    "aria-describedby": describedBy,
    ...(invalid && { "aria-invalid": true as const }),
    ...(required && { "aria-required": true as const }),
  };

  return (
    <div className={cn("space-y-1.5", className)}>
      <Label htmlFor={controlId} required={required} className={hideLabel ? "sr-only" : undefined}>
        {label}
      </Label>
      {typeof children === "function" ? children(control) : cloneElement(children, control)}
      {hint && (
        <p id={ids.hint} className="text-sm text-fg-muted">
          {hint}
        </p>
      )}
      <div id={ids.error} aria-live="polite" aria-atomic="true">
        {messages.map((message) => (
          <p key={message} className="text-sm font-medium text-danger-text">
            {message}
          </p>
        ))}
      </div>
    </div>
  );
}
