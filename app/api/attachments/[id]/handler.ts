import { authorizeRequest } from "@/lib/action";
import { serveAttachment } from "@/lib/attachments/download";
import { problem } from "@/lib/attachments/http";
import { UnauthenticatedError } from "@/lib/errors";
import { requestContextFrom } from "@/lib/request-context";

/**
 * GET of a file or its thumbnail: authorized like an action (the database re-check, refusals
 * audited), then lib/attachments/download.ts checks the viewer's access to the ticket and the
 * message and serves it.
 */
export function attachmentGet(variant: "file" | "thumbnail") {
  return async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
    const context = requestContextFrom(request.headers);
    const access = await authorizeRequest("attachment.download", "ticket:read", context);
    if ("refusal" in access) {
      const signedOut = access.refusal instanceof UnauthenticatedError;
      return problem(signedOut ? 401 : 403, signedOut ? "Please sign in again." : "Forbidden");
    }
    return serveAttachment(request, access.user, context, (await params).id, variant);
  };
}
