import { API_OPERATIONS } from "@/lib/api/operations";
import { apiRoute } from "@/lib/api/route";
import { serveAttachment } from "@/lib/attachments/download";
import { NotFoundError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** The web app's download path (lib/attachments/download.ts): access re-checked, audited. */
export const GET = apiRoute(
  API_OPERATIONS["attachments.download"],
  async ({ params }, { service, request }) => {
    // Always a download: an API client has no page to show an image inline in.
    const url = new URL(request.url);
    url.searchParams.set("download", "1");
    const response = await serveAttachment(
      new Request(url),
      service.actor,
      service.request,
      params.id,
      "file",
    );
    // Unknown, hidden (audited there) or not yet scanned: the API's own 404 problem.
    if (response.status === 404) throw new NotFoundError();
    return response;
  },
);
