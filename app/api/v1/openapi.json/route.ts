import { openApiDocument } from "@/lib/api/openapi";

// Public: the document describes the API, it opens nothing (every operation needs a token).
export const dynamic = "force-static";

export function GET(): Response {
  return Response.json(openApiDocument(), {
    headers: { "cache-control": "public, max-age=300" },
  });
}
