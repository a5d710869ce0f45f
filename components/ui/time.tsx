import type { TimeText } from "@/lib/dates";

/** A time as lib/dates.ts wrote it: relative (or exact) text, the exact time on hover. */
export function Time({ value, className }: { value: TimeText; className?: string }) {
  return (
    <time dateTime={value.iso} title={value.title} className={className}>
      {value.text}
    </time>
  );
}
