import { API_OPERATIONS } from "@/lib/api/operations";
import { userView } from "@/lib/api/results";
import { apiRoute } from "@/lib/api/route";
import { NotFoundError } from "@/lib/errors";
import { changeUserRole, setUserActive } from "@/lib/users/admin-service";
import { getUserForAdmin } from "@/lib/users/queries";

export const dynamic = "force-dynamic";

export const GET = apiRoute(API_OPERATIONS["users.get"], async ({ params }, { service }) => {
  const found = await getUserForAdmin(service.actor, params.id);
  if (!found) throw new NotFoundError("User not found.");
  return userView(found.user);
});

/**
 * The admin page's role and active changes. The services' fresh-confirmation check accepts a
 * "users:write" token (lib/auth/reauth.ts requireConfirmation), except when the change grants
 * admin rights: that is refused (403, audited).
 */
export const PATCH = apiRoute(
  API_OPERATIONS["users.update"],
  async ({ params, body }, { service }) => {
    let changed = false;
    if (body.role !== undefined) {
      changed = (await changeUserRole(service, { userId: params.id, role: body.role })).changed;
    }
    if (body.active !== undefined) {
      const r = await setUserActive(service, { userId: params.id, active: body.active });
      changed = changed || r.changed;
    }
    return { id: params.id, changed };
  },
);
