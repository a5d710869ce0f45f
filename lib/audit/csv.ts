// CSV for the audit export: every cell quoted (RFC 4180) plus spreadsheet formula-injection
// neutralisation (OWASP "CSV injection"): = + - @, a tab or a carriage return at the start of a
// cell, or after any character a spreadsheet may split on (, ; tab | CR LF, optionally followed
// by spaces), gets an apostrophe in front, so that no cell is a formula whatever separator the
// spreadsheet's locale uses (`a;=1+1` opened with ";" as separator would otherwise make a second
// cell `=1+1`). The audit log holds attacker-supplied text (emails tried at sign-in, user
// agents, titles). Pure: no database, unit-tested in tests/unit/csv.test.ts.

const FORMULA_CHARS = new Set(["=", "+", "-", "@", "\t", "\r"]);
const SEPARATORS = new Set([",", ";", "\t", "|", "\r", "\n"]);

export function neutraliseFormula(value: string): string {
  let out = "";
  let cellStart = true; // at the start of the value or of a piece a spreadsheet might split off
  for (const c of value) {
    if (cellStart && FORMULA_CHARS.has(c)) out += "'";
    out += c;
    // Tab and CR are both: a tab that starts a piece also ends one, so check what follows it.
    cellStart = SEPARATORS.has(c) || (cellStart && c === " ");
  }
  return out;
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '""';
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === "object") text = JSON.stringify(value);
  else text = String(value);
  return `"${neutraliseFormula(text).replaceAll('"', '""')}"`;
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
  prevHash: string | null;
  hash: string | null;
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
