// CSV for the audit export: RFC 4180 quoting plus spreadsheet formula-injection neutralisation
// (OWASP "CSV injection"): a cell that starts with = + - @, a tab or a carriage return is
// prefixed with an apostrophe so spreadsheet software shows it as text instead of evaluating
// it. The audit log holds attacker-supplied text (emails tried at sign-in, user agents, titles).
// Pure: no database, unit-tested.

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === "object") text = JSON.stringify(value);
  else text = String(value);
  text = neutraliseFormula(text);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

export const AUDIT_CSV_COLUMNS = [
  "id",
  "time_utc",
  "actor_id",
  "actor_email",
  "actor_role",
  "action",
  "entity_type",
  "entity_id",
  "outcome",
  "ip",
  "user_agent",
  "request_id",
  "before",
  "after",
  "metadata",
  "prev_hash",
  "hash",
] as const;

export type AuditCsvEvent = {
  id: bigint;
  createdAt: Date;
  actorId: string | null;
  actorEmail: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  before: unknown;
  after: unknown;
  metadata: unknown;
  prevHash: string;
  hash: string;
};

export function auditCsvRow(e: AuditCsvEvent): string {
  return csvRow([
    e.id.toString(),
    e.createdAt,
    e.actorId,
    e.actorEmail,
    e.actorRole,
    e.action,
    e.entityType,
    e.entityId,
    e.outcome,
    e.ip,
    e.userAgent,
    e.requestId,
    e.before,
    e.after,
    e.metadata,
    e.prevHash,
    e.hash,
  ]);
}
