import "server-only";
// Links a message's uploads to it, inside the message's own transaction: the rows, the comment
// or ticket, and the audit event (which lists the files) commit together or not at all.
import type { Tx } from "@/lib/db";
import { ValidationError } from "@/lib/errors";
import { attachmentSizeLimits } from "@/lib/attachments/limits";

export type ClaimedAttachment = {
  id: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string | null;
};

const GONE =
  "An attached file is no longer available (uploads expire after a day). Remove it and attach it again.";

/**
 * Claims the actor's own, not yet attached uploads for a ticket (its description: commentId null)
 * or one comment. Anything else listed (someone else's upload, one already attached, one that
 * failed or expired) refuses the whole message with a message on `attachmentIds`.
 */
export async function claimAttachments(
  tx: Tx,
  actorId: string,
  ids: readonly string[],
  target: { ticketId: string; commentId: string | null },
): Promise<ClaimedAttachment[]> {
  if (ids.length === 0) return [];
  const { maxFiles } = attachmentSizeLimits();
  if (ids.length > maxFiles) {
    const message = `At most ${maxFiles} files per message.`;
    throw new ValidationError(message, { attachmentIds: [message] });
  }
  const claimed = await tx.attachment.updateManyAndReturn({
    where: {
      id: { in: [...ids] },
      uploaderId: actorId,
      ticketId: null,
      state: { in: ["READY", "QUARANTINED"] },
    },
    data: { ticketId: target.ticketId, commentId: target.commentId, attachedAt: new Date() },
    select: { id: true, name: true, size: true, contentType: true, sha256: true },
  });
  if (claimed.length !== ids.length) throw new ValidationError(GONE, { attachmentIds: [GONE] });
  return claimed;
}

/** What the message's audit event records about its files (no content, only facts). */
export function auditedFiles(files: readonly ClaimedAttachment[]) {
  return files.map(({ id, name, size, contentType, sha256 }) => ({
    id,
    name,
    size,
    contentType,
    sha256,
  }));
}
