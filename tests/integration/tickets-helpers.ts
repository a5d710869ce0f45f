// Shared set-up for the tickets integration tests (not a test file itself).
import { db } from "@/lib/db";
import type { ServiceContext } from "@/lib/service-context";
import { createTicket } from "@/lib/tickets/service";
import { makeCategory, makeUser, uniqueSuffix } from "@/tests/fixtures/factories";

export type Role = "USER" | "TECHNICIAN" | "ADMIN";

export async function actor(role: Role, name?: string): Promise<ServiceContext> {
  const user = await makeUser(db, { role, ...(name ? { name } : {}) });
  return {
    actor: user,
    request: { ip: "127.0.0.1", userAgent: "vitest", requestId: `req-${uniqueSuffix()}` },
  };
}

export async function category(): Promise<string> {
  return (await makeCategory(db)).id;
}

export async function newTicket(
  ctx: ServiceContext,
  categoryId: string,
  overrides: Partial<{ title: string; description: string; requesterId: string }> = {},
) {
  return createTicket(ctx, {
    title: overrides.title ?? `Ticket ${uniqueSuffix()}`,
    description: overrides.description ?? "Something is broken.",
    categoryId,
    ...(overrides.requesterId ? { requesterId: overrides.requesterId } : {}),
  });
}

export async function auditFor(ticketId: string, action?: string) {
  return db.auditEvent.findMany({
    where: { entityType: "Ticket", entityId: ticketId, ...(action ? { action } : {}) },
    orderBy: { id: "asc" },
  });
}
