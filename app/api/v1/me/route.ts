import { API_OPERATIONS } from "@/lib/api/operations";
import { apiRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(API_OPERATIONS["me.get"], async (_input, { principal }) => ({
  id: principal.user.id,
  email: principal.user.email,
  name: principal.user.name,
  role: principal.user.role,
  kind: principal.user.kind,
  token: { id: principal.token.id, scopes: principal.token.scopes },
}));
