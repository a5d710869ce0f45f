import "server-only";
// Serving a file: the viewer's access to the ticket and the message is re-checked on every
// request (lib/attachments/queries.ts), a refusal looks like an unknown id (404) and is audited
// when the file exists, and every download of a file is audited (thumbnails, shown with the
// conversation, are not). From S3, a download is a redirect to a short-lived signed URL.
import { Readable } from "node:stream";
import { authorizeRequest } from "@/lib/action";
import { recordAuditStandalone } from "@/lib/audit";
import { db } from "@/lib/db";
import { UnauthenticatedError } from "@/lib/errors";
import { dispositionOf, fileHeaders, problem } from "@/lib/attachments/http";
import { findVisibleAttachment } from "@/lib/attachments/queries";
import { blobStore, BlobNotFoundError } from "@/lib/attachments/storage";
import { requestLogger } from "@/lib/logger";
import { requestContextFrom } from "@/lib/request-context";
import { recordRefusal } from "@/lib/security/refusals";

export const SIGNED_URL_SECONDS = 60;

export async function serveAttachment(
  request: Request,
  id: string,
  variant: "file" | "thumbnail",
): Promise<Response> {
  const context = requestContextFrom(request.headers);
  const access = await authorizeRequest("attachment.download", "ticket:read", context);
  if ("refusal" in access) {
    const signedOut = access.refusal instanceof UnauthenticatedError;
    return problem(signedOut ? 401 : 403, signedOut ? "Please sign in again." : "Forbidden");
  }
  const { user } = access;
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
async function auditHiddenAttachment(
  user: { id: string; role: "ADMIN" | "TECHNICIAN" | "USER"; email: string },
  id: string,
  context: ReturnType<typeof requestContextFrom>,
) {
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
