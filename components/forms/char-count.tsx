import { cn } from "@/components/ui/cn";

/**
 * "42 / 200" under a text field with a limit. The field itself never cuts what is typed or
 * pasted (no maxLength): past the limit the count turns red and says by how much, and the
 * schema refuses it with a message, so nothing is ever lost mid-word.
 */
export function CharCount({ value, max, id }: { value: string; max: number; id?: string }) {
  const length = value.trim().length;
  const over = length - max;
  return (
    <span
      id={id}
      data-testid="char-count"
      className={cn("tabular-nums", over > 0 ? "font-medium text-danger-text" : "text-fg-muted")}
    >
      {over > 0
        ? `${length} / ${max}: ${over} character${over === 1 ? "" : "s"} too long`
        : `${length} / ${max}`}
    </span>
  );
}
