import { API_OPERATIONS } from "@/lib/api/operations";
import { userView } from "@/lib/api/results";
import { apiRoute } from "@/lib/api/route";
import { createUserByAdmin } from "@/lib/users/admin-service";
import { listUsers } from "@/lib/users/queries";

export const dynamic = "force-dynamic";

export const GET = apiRoute(API_OPERATIONS["users.list"], async ({ query }, { service }) => {
  const { users, truncated } = await listUsers(service.actor, query);
  return { items: users.map(userView), truncated };
});

/** The one-time password is in the answer, once (as on the admin page). */
export const POST = apiRoute(API_OPERATIONS["users.create"], async ({ body }, { service }) => {
  const { user, oneTimePassword } = await createUserByAdmin(service, body);
  return { id: user.id, email: user.email, oneTimePassword };
});
