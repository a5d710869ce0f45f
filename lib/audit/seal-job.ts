import "server-only";
import type { Db } from "@/lib/db";
import { writeAnchor } from "@/lib/audit/anchor";
import { sealAuditEvents } from "@/lib/audit/seal";
import { securityEvent } from "@/lib/security/events";

/** How often the chain head is anchored while it moves (TESSERA_AUDIT_ANCHOR_SECONDS, default 300). */
function anchorEveryMs(): number {
  const seconds = Number(process.env.TESSERA_AUDIT_ANCHOR_SECONDS);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 300) * 1000;
}

/**
 * The background job (run every round of the one job loop, lib/outbox/worker.ts): seals the
 * pending audit events, and when the head has moved since the last anchor and that anchor is
 * older than the interval, anchors the head (table, anchor file, SIEM). Safe on several
 * instances at once: one seals, the others find the lock taken and return.
 */
export async function sealAndAnchor(db: Db): Promise<{ sealed: number; anchored: boolean }> {
  const { sealed, head } = await sealAuditEvents(db);
  if (!head) return { sealed, anchored: false };
  const last = await db.auditAnchor.findFirst({
    orderBy: { id: "desc" },
    select: { seq: true, createdAt: true },
  });
  const due =
    !last || (last.seq !== head.seq && Date.now() - last.createdAt.getTime() >= anchorEveryMs());
  if (!due) return { sealed, anchored: false };
  const anchor = await writeAnchor(db, head);
  await securityEvent("audit.anchor", { ...anchor, seq: anchor.seq.toString(), verified: false });
  return { sealed, anchored: true };
}
