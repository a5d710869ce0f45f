import "server-only";
// Saved personal views: a name and a list query, private to their owner, whatever their role (so
// the permission is "account:manage", scope "own" for every role, not "ticket:read"). Every read and
// write is scoped by the owner's id in the query itself: another person's view id finds nothing,
// with the same message as a missing one, and the probe is audited as a refusal (as for tickets).
// Writes: one transaction with the audit event; the owner's row is locked first so two tabs saving
// at once cannot pass the per-person limit.
import { changeRecorder } from "@/lib/audit/change";
import { assertCan } from "@/lib/auth/permissions";
import { db, type Tx } from "@/lib/db";
import { NotFoundError, uniqueAsFieldError, ValidationError } from "@/lib/errors";
import { recordRefusal } from "@/lib/security/refusals";
import type { ServiceContext } from "@/lib/service-context";
import { viewQueryString } from "@/lib/tickets/list-query";
import { SAVED_VIEWS_MAX } from "@/lib/saved-views/schemas";

const NOT_FOUND = "Saved view not found.";
const DUPLICATE = "You already have a view with this name.";
const TOO_MANY = `You can keep ${SAVED_VIEWS_MAX} saved views. Delete one first.`;

async function lockOwner(tx: Tx, userId: string) {
  await tx.$queryRaw`SELECT "id" FROM "User" WHERE "id" = ${userId} FOR UPDATE`;
}

const audit = changeRecorder("SavedView");

function withNameCheck<T>(fn: () => Promise<T>): Promise<T> {
  return uniqueAsFieldError("name", DUPLICATE, fn);
}

export async function createSavedView(
  ctx: ServiceContext,
  input: { name: string; query: string },
): Promise<{ id: string; query: string }> {
  assertCan(ctx.actor, "account:manage");
  const query = viewQueryString(input.query);
  return withNameCheck(() =>
    db.$transaction(async (tx) => {
      await lockOwner(tx, ctx.actor.id);
      const count = await tx.savedView.count({ where: { userId: ctx.actor.id } });
      if (count >= SAVED_VIEWS_MAX) throw new ValidationError(TOO_MANY);
      const view = await tx.savedView.create({
        data: { userId: ctx.actor.id, name: input.name, query },
        select: { id: true, name: true, query: true },
      });
      await audit(tx, ctx, "saved_view.create", view.id, null, { name: view.name, query });
      return { id: view.id, query };
    }),
  );
}

/** Thrown inside the transaction; an audited refusal + NotFoundError outside it. */
class ViewNotVisible extends Error {}

/** The actor's own view, locked; anyone else's (or none) is "not found". */
async function ownView(tx: Tx, ctx: ServiceContext, viewId: string) {
  const rows = await tx.$queryRaw<{ id: string; name: string; query: string }[]>`
    SELECT "id", "name", "query" FROM "SavedView"
    WHERE "id" = ${viewId} AND "userId" = ${ctx.actor.id} FOR UPDATE`;
  const view = rows[0];
  if (!view) throw new ViewNotVisible();
  return view;
}

async function withOwnView<T>(
  ctx: ServiceContext,
  action: string,
  viewId: string,
  fn: (tx: Tx, view: { id: string; name: string; query: string }) => Promise<T>,
): Promise<T> {
  try {
    return await db.$transaction(async (tx) => fn(tx, await ownView(tx, ctx, viewId)));
  } catch (error) {
    if (!(error instanceof ViewNotVisible)) throw error;
    const exists = await db.savedView.findUnique({ where: { id: viewId }, select: { id: true } });
    if (exists) {
      await recordRefusal({
        key: ["hidden", action, `u:${ctx.actor.id}`],
        audit: {
          actor: ctx.actor,
          action,
          entityType: "SavedView",
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

export async function renameSavedView(
  ctx: ServiceContext,
  input: { viewId: string; name: string },
): Promise<void> {
  assertCan(ctx.actor, "account:manage");
  await withNameCheck(() =>
    withOwnView(ctx, "saved_view.rename", input.viewId, async (tx, before) => {
      if (before.name === input.name) return;
      await tx.savedView.update({ where: { id: before.id }, data: { name: input.name } });
      await audit(
        tx,
        ctx,
        "saved_view.rename",
        before.id,
        { name: before.name },
        { name: input.name },
      );
    }),
  );
}

export async function deleteSavedView(
  ctx: ServiceContext,
  input: { viewId: string },
): Promise<void> {
  assertCan(ctx.actor, "account:manage");
  await withOwnView(ctx, "saved_view.delete", input.viewId, async (tx, before) => {
    await tx.savedView.delete({ where: { id: before.id } });
    await audit(
      tx,
      ctx,
      "saved_view.delete",
      before.id,
      { name: before.name, query: before.query },
      null,
    );
  });
}
