// Liveness: the process serves requests. No database call on purpose (docs/operations.md).
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
