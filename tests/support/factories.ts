// Test data: the factories shared with the demo seed (prisma/factories.ts), and the service
// context a test acts with. Script-safe (no lib/db, the client is passed in).
import type { Db, Tx } from "@/lib/db";
import type { ServiceContext } from "@/lib/service-context";
import { makeUser, uniqueSuffix, type FactoryUser, type UserOverrides } from "@/prisma/factories";

export * from "@/prisma/factories";

/**
 * The context a service is called with, as defineAction builds it: `actor` (any user row with
 * id, role and email), a request with a fresh request id, and optionally a reauth token.
 */
export function contextFor(
  actor: ServiceContext["actor"],
  extra: Partial<Omit<ServiceContext, "actor">> = {},
): ServiceContext {
  return {
    actor,
    request: { ip: "127.0.0.1", userAgent: "vitest", requestId: `req-${uniqueSuffix()}` },
    ...extra,
  };
}

/** A new user of `role` and the context to act as them (`ctx.actor` is the factory user). */
export async function makeActor(
  client: Db | Tx,
  role: FactoryUser["role"],
  overrides: UserOverrides = {},
): Promise<ServiceContext & { actor: FactoryUser }> {
  const user = await makeUser(client, { role, ...overrides });
  return { ...contextFor(user), actor: user };
}
