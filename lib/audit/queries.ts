import "server-only";
import { db } from "@/lib/db";
import type { SessionUser } from "@/lib/auth/guards";
import { can } from "@/lib/auth/permissions";
import { ForbiddenError } from "@/lib/errors";

export const AUDIT_PAGE_SIZE = 50;

/** Newest first, keyset-paginated by id (`before` = the last id of the previous page). */
export async function listAuditEvents(viewer: SessionUser, options: { before?: bigint } = {}) {
  if (!can(viewer, "audit:read")) throw new ForbiddenError();
  const rows = await db.auditEvent.findMany({
    where: options.before ? { id: { lt: options.before } } : undefined,
    orderBy: { id: "desc" },
    take: AUDIT_PAGE_SIZE + 1,
    select: {
      id: true,
      createdAt: true,
      actorEmail: true,
      actorRole: true,
      action: true,
      entityType: true,
      entityId: true,
      outcome: true,
      ip: true,
      metadata: true,
    },
  });
  const hasMore = rows.length > AUDIT_PAGE_SIZE;
  const events = rows.slice(0, AUDIT_PAGE_SIZE);
  return { events, nextBefore: hasMore ? (events.at(-1)?.id ?? null) : null };
}
