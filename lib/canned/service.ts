import "server-only";
// Canned response writes (issue 15 §3). A snippet is personal (ownerId = its author) or shared
// (ownerId null); each write says which it means (`shared`), and the row is looked up as such.
// Personal ones: created, edited and deleted by their owner only ("canned:use"); shared ones: by
// admins only ("canned:manage", a ForbiddenError otherwise, audited by the wrapper). Someone
// else's personal snippet is "not found", exactly like a missing one, and the probe is audited as
// a refusal (as for saved views).
// Each write and its audit event ("canned.created/updated/deleted") commit in ONE transaction;
// the body is kept in the trail as a fingerprint and a bounded diff (lib/audit/text-change.ts).
import { boundedDiff, fingerprint } from "@/lib/audit";
import { changeRecorder } from "@/lib/audit/change";
import { assertCan } from "@/lib/auth/permissions";
import { CANNED_PERSONAL_MAX, CANNED_SHARED_MAX } from "@/lib/canned/schemas";
import { db, type Tx } from "@/lib/db";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { recordRefusal } from "@/lib/security/refusals";
import type { ServiceContext } from "@/lib/service-context";

const NOT_FOUND = "Canned response not found.";
const audit = changeRecorder("CannedResponse");

type Row = { id: string; title: string; body: string; ownerId: string | null };

const summary = (row: Pick<Row, "title" | "body" | "ownerId">) => ({
  title: row.title,
  shared: row.ownerId === null,
  body: fingerprint(row.body),
});

/** What changing a personal or a shared snippet takes. */
const permissionFor = (shared: boolean) => (shared ? "canned:manage" : "canned:use");

export async function createCannedResponse(
  ctx: ServiceContext,
  input: { title: string; body: string; shared: boolean },
): Promise<{ id: string }> {
  assertCan(ctx.actor, permissionFor(input.shared));
  const ownerId = input.shared ? null : ctx.actor.id;
  return db.$transaction(async (tx) => {
    // Serialises creations of the same list (two tabs at once cannot pass the limit).
    const list = ownerId ?? "shared";
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`canned:${list}`}))`;
    const count = await tx.cannedResponse.count({ where: { ownerId } });
    const max = input.shared ? CANNED_SHARED_MAX : CANNED_PERSONAL_MAX;
    if (count >= max) {
      throw new ValidationError(`There can be ${max} of these at most. Delete one first.`);
    }
    const row = await tx.cannedResponse.create({
      data: { title: input.title, body: input.body, ownerId },
      select: { id: true, title: true, body: true, ownerId: true },
    });
    await audit(tx, ctx, "canned.created", row.id, null, summary(row));
    return { id: row.id };
  });
}

/** Thrown inside the transaction; an audited refusal + NotFoundError outside it. */
class NotVisible extends Error {}

/** The shared snippet, or the actor's own personal one, locked; anything else is NotVisible. */
async function changeable(
  tx: Tx,
  ctx: ServiceContext,
  cannedId: string,
  shared: boolean,
): Promise<Row> {
  const rows = shared
    ? await tx.$queryRaw<Row[]>`
        SELECT "id", "title", "body", "ownerId" FROM "CannedResponse"
        WHERE "id" = ${cannedId} AND "ownerId" IS NULL FOR UPDATE`
    : await tx.$queryRaw<Row[]>`
        SELECT "id", "title", "body", "ownerId" FROM "CannedResponse"
        WHERE "id" = ${cannedId} AND "ownerId" = ${ctx.actor.id} FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new NotVisible();
  return row;
}

async function withChangeable<T>(
  ctx: ServiceContext,
  action: string,
  target: { cannedId: string; shared: boolean },
  fn: (tx: Tx, row: Row) => Promise<T>,
): Promise<T> {
  assertCan(ctx.actor, permissionFor(target.shared));
  const { cannedId, shared } = target;
  try {
    return await db.$transaction(async (tx) => fn(tx, await changeable(tx, ctx, cannedId, shared)));
  } catch (error) {
    if (!(error instanceof NotVisible)) throw error;
    const exists = await db.cannedResponse.findUnique({
      where: { id: cannedId },
      select: { id: true },
    });
    if (exists) {
      await recordRefusal({
        key: ["hidden", action, `u:${ctx.actor.id}`],
        audit: {
          actor: ctx.actor,
          action,
          entityType: "CannedResponse",
          entityId: exists.id,
          outcome: "REFUSED",
          metadata: { reason: "not_visible" },
          context: ctx.request,
        },
      });
    }
    throw new NotFoundError(NOT_FOUND);
  }
}

export async function updateCannedResponse(
  ctx: ServiceContext,
  input: { cannedId: string; title: string; body: string; shared: boolean },
): Promise<{ changed: boolean }> {
  return withChangeable(ctx, "canned.updated", input, async (tx, before) => {
    if (before.title === input.title && before.body === input.body) return { changed: false };
    const after = { ...before, title: input.title, body: input.body };
    await tx.cannedResponse.update({
      where: { id: before.id },
      data: { title: input.title, body: input.body },
    });
    await audit(tx, ctx, "canned.updated", before.id, summary(before), summary(after), {
      bodyDiff: boundedDiff(before.body, input.body),
    });
    return { changed: true };
  });
}

export async function deleteCannedResponse(
  ctx: ServiceContext,
  input: { cannedId: string; shared: boolean },
): Promise<void> {
  await withChangeable(ctx, "canned.deleted", input, async (tx, before) => {
    await tx.cannedResponse.delete({ where: { id: before.id } });
    await audit(tx, ctx, "canned.deleted", before.id, summary(before), null);
  });
}
