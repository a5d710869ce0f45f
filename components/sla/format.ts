// Texts of the Service levels admin pages. Client-safe.
import { WEEKDAYS, formatDayHours, type StoredWindow } from "@/lib/sla/schemas";

/**
 * 90 → "1 h 30 min", 2880 → "48 h", null → "none". Hours, never days (unlike lib/sla/format.ts's
 * formatDuration for time left): a target counts business time, and "2 d" would read as two
 * working days.
 */
export function formatTarget(minutes: number | null): string {
  if (minutes === null) return "none";
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h > 0 ? `${h} h` : "", m > 0 ? `${m} min` : ""].filter(Boolean).join(" ");
}

/** "Mon 09:00–12:00, 13:00–17:30 · Tue …", or "24/7". */
export function formatHours(alwaysOpen: boolean, windows: StoredWindow[]): string {
  if (alwaysOpen) return "24/7";
  const days = WEEKDAYS.map((name, i) => {
    const text = formatDayHours(windows.filter((w) => w.day === i + 1));
    return text ? `${name.slice(0, 3)} ${text}` : null;
  }).filter(Boolean);
  return days.length > 0 ? days.join(" · ") : "never open";
}
