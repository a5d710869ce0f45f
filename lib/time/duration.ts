// Time spent, as people type it (issue 15 §5): "90", "45m", "1h 30m", "1.5h", "2 h". Pure and
// client-safe: the form checks as you type with the same parser the server uses.

export const ENTRY_MINUTES_MIN = 1;
export const ENTRY_MINUTES_MAX = 24 * 60;

const HOURS = String.raw`(\d+(?:[.,]\d+)?|[.,]\d+)\s*(?:h|hrs?|hours?)`;
const MINUTES = String.raw`(\d+)\s*(?:m|mins?|minutes?)`;
const PATTERN = new RegExp(`^(?:${HOURS})?\\s*(?:${MINUTES})?$`);

/** Minutes (rounded to whole ones), or null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const value = text.trim().toLowerCase();
  if (value === "") return null;
  if (/^\d{1,5}$/.test(value)) return Number(value); // plain minutes
  const match = PATTERN.exec(value);
  if (!match || (match[1] === undefined && match[2] === undefined)) return null;
  const hours = match[1] === undefined ? 0 : Number(match[1].replace(",", "."));
  const minutes = match[2] === undefined ? 0 : Number(match[2]);
  const total = Math.round(hours * 60 + minutes);
  return Number.isSafeInteger(total) ? total : null;
}

/** "1 h 30 min", "45 min", "2 h". */
export function formatMinutes(total: number): string {
  const hours = Math.floor(total / 60);
  const minutes = total % 60;
  if (hours === 0) return `${minutes} min`;
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

/** Today's date ("YYYY-MM-DD") in an IANA zone. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}
