import { Readable } from "node:stream";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import { authorizeRequest, auditRefusal } from "@/lib/action";
import { problem } from "@/lib/attachments/http";
import { FILE_NAME_HEADER } from "@/lib/attachments/schemas";
import { assertUnderQuota, QuotaExceededError } from "@/lib/attachments/quota";
import { receiveUpload, UploadRefusedError } from "@/lib/attachments/upload";
import { RateLimitedError, UnauthenticatedError, ForbiddenError } from "@/lib/errors";
import { requestLogger } from "@/lib/logger";
import { enforceUserLimit, ThrottleUnavailableError } from "@/lib/rate-limit";
import { requestContextFrom } from "@/lib/request-context";
import { isSameOriginRequest } from "@/lib/security/headers";

// Upload of one file (the forms send one request per file, with progress): authorization like
// an action (the same re-check and refusal audit), same origin only, a per-user rate limit and
// the installation's quota, then lib/attachments/upload.ts streams it. The answer is the new
// upload's id, which the message's form sends with the message.

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (!isSameOriginRequest(request.headers, url, process.env.AUTH_URL || undefined)) {
    return problem(403, "Cross-site request refused.");
  }
  const context = requestContextFrom(request.headers);
  // Uploading is part of writing a message (a new ticket, a reply or a note).
  const access = await authorizeRequest("attachment.upload", "ticket:comment", context);
  if ("refusal" in access) {
    const signedOut = access.refusal instanceof UnauthenticatedError;
    return problem(
      signedOut ? 401 : 403,
      signedOut ? "Please sign in again." : access.refusal.message,
    );
  }
  const { user } = access;
  if (!request.body) return problem(400, "No file was sent.");
  const length = request.headers.get("content-length");
  try {
    await enforceUserLimit("attachmentUpload", user.id, { failOpen: false });
    await assertUnderQuota();
    const info = await receiveUpload({
      actor: user,
      fileName: request.headers.get(FILE_NAME_HEADER),
      declaredLength: length && /^\d+$/.test(length) ? Number(length) : null,
      body: Readable.fromWeb(request.body as unknown as NodeWebStream<Uint8Array>),
    });
    return Response.json(info, {
      status: 201,
      headers: { "cache-control": "no-store", "x-content-type-options": "nosniff" },
    });
  } catch (error) {
    if (error instanceof UploadRefusedError) {
      if (error.reason === "malware" || error.reason === "type") {
        // Worth a trail: who tried to upload what was refused (no content, only the reason).
        await auditRefusal("attachment.upload", user, context, new ForbiddenError(error.message));
      }
      return problem(error.status, "The file was not accepted.", error.message);
    }
    if (error instanceof RateLimitedError) {
      return problem(429, "Too many uploads.", error.message, {
        "retry-after": String(error.retryAfterSeconds),
      });
    }
    if (error instanceof ThrottleUnavailableError) return problem(503, error.message);
    if (error instanceof QuotaExceededError) {
      return problem(507, "Storage is full.", error.message);
    }
    requestLogger(context.requestId, { route: "attachment.upload" }).error(
      { err: error, userId: user.id },
      "upload failed",
    );
    return problem(500, "The upload failed.", `Please try again (reference ${context.requestId}).`);
  }
}
