import "server-only";
// Serving a file: the viewer's access to the ticket and the message is re-checked on every
// request (lib/attachments/queries.ts), a refusal looks like an unknown id (404) and is audited
// when the file exists, and every download of a file is audited (thumbnails, shown with the
// conversation, are not). From S3, a download is a redirect to a short-lived signed URL.
import { Readable } from "node:stream";
import { recordAuditStandalone } from "@/lib/audit";
import { db } from "@/lib/db";
import { dispositionOf, fileHeaders, problem } from "@/lib/attachments/http";
import { findVisibleAttachment } from "@/lib/attachments/queries";
import { blobStore, BlobNotFoundError } from "@/lib/attachments/storage";
import { requestLogger } from "@/lib/logger";
import type { RequestContext } from "@/lib/request-context";
import type { Actor } from "@/lib/service-context";
import { recordRefusal } from "@/lib/security/refusals";

export const SIGNED_URL_SECONDS = 60;

/** Serves a file to `user`, already authorized for "ticket:read" by the route (lib/action.ts). */
export async function serveAttachment(
  request: Request,
  user: Actor,
  context: RequestContext,
  id: string,
  variant: "file" | "thumbnail",
): Promise<Response> {
  const file = await findVisibleAttachment(user, id);
  if (!file || (variant === "thumbnail" && !file.thumbKey)) {
    await auditHiddenAttachment(user, id, context);
    return problem(404, "Not found.");
  }
  const download = new URL(request.url).searchParams.get("download") === "1";
  const disposition =
    variant === "thumbnail" ? "inline" : dispositionOf(file.contentType, download);
  const store = blobStore();
  if (variant === "file") {
    await recordAuditStandalone(db, {
      actor: user,
      action: "attachment.download",
      entityType: "Attachment",
      entityId: file.id,
      outcome: "SUCCESS",
      metadata: {
        ticketId: file.ticketId,
        commentId: file.commentId,
        name: file.name,
        disposition,
      },
      context,
    });
    if (disposition === "attachment") {
      const signed = await store.signedUrl(file.storageKey, {
        fileName: file.name,
        contentType: file.contentType,
        disposition,
        expiresInSeconds: SIGNED_URL_SECONDS,
      });
      if (signed) return Response.redirect(signed, 302);
    }
  }
  const key = variant === "thumbnail" ? file.thumbKey! : file.storageKey;
  try {
    const body = await store.get(key);
    const headers = fileHeaders({
      name: variant === "thumbnail" ? `${file.name}.webp` : file.name,
      contentType: variant === "thumbnail" ? "image/webp" : file.contentType,
      size: variant === "thumbnail" ? undefined : file.size,
      disposition,
    });
    return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, { headers });
  } catch (error) {
    if (error instanceof BlobNotFoundError) {
      requestLogger(context.requestId, { route: "attachment.download" }).error(
        { attachmentId: file.id, variant },
        "attachment row without its blob",
      );
      return problem(404, "Not found.");
    }
    throw error;
  }
}

/** Probing ids of files the viewer may not see: aggregated per actor and window, like tickets. */
async function auditHiddenAttachment(user: Actor, id: string, context: RequestContext) {
  const exists = await db.attachment.findUnique({ where: { id }, select: { id: true } });
  if (!exists) return;
  await recordRefusal({
    key: ["hidden", "attachment.download", `u:${user.id}`],
    audit: {
      actor: user,
      action: "attachment.download",
      entityType: "Attachment",
      entityId: exists.id,
      outcome: "REFUSED",
      metadata: { reason: "not_visible" },
      context,
    },
  });
}
