// Shapes shared by the outbox modules. No `import "server-only"` in lib/outbox: the modules take
// the Prisma client they must use (like lib/audit/record.ts), so tests and scripts can use them.

export type Severity = "info" | "notice" | "warning" | "alert";

/** What is stored in SecurityOutbox.payload and sent to every destination. */
export type SecurityEventPayload = {
  /** Unique per event (not per destination): receivers can de-duplicate on it. */
  id: string;
  type: string;
  severity: Severity;
  /** ISO 8601, when the event happened. */
  time: string;
  app: "tessera";
  /** Event details with secrets redacted (lib/audit/redact.ts rules). */
  fields: Record<string, unknown>;
};

export type DestinationName = "siem" | "slack" | "email";

export type OutboxRow = {
  id: bigint;
  destination: string;
  eventType: string;
  payload: SecurityEventPayload;
  attempts: number;
};
