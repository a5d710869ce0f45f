import { formatUtc } from "@/lib/dates";

// The audit pages keep one unambiguous UTC clock (lib/dates.ts formatUtc): a trail is read across
// time zones and compared with server logs.
export { formatUtc };

/** The MFA column of the admin user pages. */
export function mfaStatus(mfaEnabledAt: Date | null, required: boolean): string {
  if (mfaEnabledAt) return `On since ${formatUtc(mfaEnabledAt, false)}`;
  return required ? "Required — not set up" : "Off";
}
