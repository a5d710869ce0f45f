/** "2026-11-27 21:49:13 UTC": one unambiguous clock for an audit trail read across time zones. */
export function formatUtc(date: Date | string | null | undefined, withSeconds = true): string {
  if (!date) return "—";
  const iso = (typeof date === "string" ? new Date(date) : date).toISOString();
  return `${iso.slice(0, withSeconds ? 19 : 16).replace("T", " ")} UTC`;
}

/** The MFA column of the admin user pages. */
export function mfaStatus(mfaEnabledAt: Date | null, required: boolean): string {
  if (mfaEnabledAt) return `On since ${formatUtc(mfaEnabledAt, false)}`;
  return required ? "Required — not set up" : "Off";
}
