// Answers of the REST API built from the services' results: only the documented fields
// (lib/api/schemas.ts), never a whole row. Pure.
import type { AuditListRow } from "@/lib/audit/queries";
import type { TicketMutationResult } from "@/lib/tickets/mutation";

export function ticketChange(r: TicketMutationResult) {
  return { id: r.id, number: r.number, version: r.version, status: r.status };
}

export function categoryView(c: { id: string; name: string; archived: boolean; position: number }) {
  return { id: c.id, name: c.name, archived: c.archived, position: c.position };
}

export function userView(u: {
  id: string;
  email: string;
  name: string;
  role: "ADMIN" | "TECHNICIAN" | "USER";
  active: boolean;
  mustChangePassword: boolean;
  mfaEnabledAt: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  kind: "PERSON" | "SERVICE";
}) {
  return {
    id: u.id,
    kind: u.kind,
    email: u.email,
    name: u.name,
    role: u.role,
    active: u.active,
    mustChangePassword: u.mustChangePassword,
    mfaEnabled: u.mfaEnabledAt !== null,
    lastLoginAt: u.lastLoginAt,
    createdAt: u.createdAt,
  };
}

/** A row of the audit viewer's queries (list or one event), as the API shows it. */
type AuditRow = Omit<AuditListRow, "channel"> & { channel?: string | null };

export function auditEventView(e: AuditRow) {
  return {
    id: e.id.toString(),
    createdAt: e.createdAt,
    actorId: e.actorId,
    actorEmail: e.actorEmail,
    actorRole: e.actorRole,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    outcome: e.outcome,
    ip: e.ip,
    channel: e.channel ?? null,
    seq: e.seq === null ? null : e.seq.toString(),
  };
}
