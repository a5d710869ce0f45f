import { z } from "zod";
import { MIN_ISO_DAY, storable } from "@/lib/text";

// The audit viewer's filters, all carried in the URL (bookmarkable, shareable, and the CSV
// export receives exactly what the page shows). Pure and browser-safe. A malformed parameter is
// dropped rather than answered with an error page: the URL is attacker-editable anyway.

export const AUDIT_OUTCOMES = ["SUCCESS", "REFUSED", "FAILED"] as const;

const text = (max: number) =>
  z.string().trim().min(1).max(max).refine(storable).optional().catch(undefined);
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => v >= MIN_ISO_DAY && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
  .optional()
  .catch(undefined);

export const AuditFilterSchema = z.object({
  /** An email address or a user id. */
  actor: text(320),
  action: text(100),
  entityType: text(100),
  entityId: text(200),
  outcome: z.enum(AUDIT_OUTCOMES).optional().catch(undefined),
  ip: text(64),
  /** UTC days, inclusive. */
  from: day,
  to: day,
  /** Free text over actor email, action, object id, ip, user agent, request id and the JSON. */
  q: text(200),
});
export type AuditFilters = z.output<typeof AuditFilterSchema>;
export const AUDIT_FILTER_KEYS = Object.keys(AuditFilterSchema.shape) as (keyof AuditFilters)[];

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function first(params: Params, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const v = params[key];
  return Array.isArray(v) ? v[0] : v;
}

export function parseAuditFilters(params: Params): AuditFilters {
  const raw: Record<string, string | undefined> = {};
  for (const key of AUDIT_FILTER_KEYS) raw[key] = first(params, key);
  return AuditFilterSchema.parse(raw);
}

/** The keyset cursor: the last id of the previous page. */
export function parseBefore(params: Params): bigint | undefined {
  const v = first(params, "before");
  return v && /^\d{1,18}$/.test(v) ? BigInt(v) : undefined;
}

export function hasAuditFilters(filters: AuditFilters): boolean {
  return AUDIT_FILTER_KEYS.some((k) => filters[k] !== undefined);
}

/** Query string (without "?") of the filters plus extras such as `before`. */
export function auditQueryString(
  filters: AuditFilters,
  extra: Record<string, string | undefined> = {},
): string {
  const params = new URLSearchParams();
  for (const key of AUDIT_FILTER_KEYS) {
    const value = filters[key];
    if (value !== undefined) params.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) params.set(key, value);
  return params.toString();
}
