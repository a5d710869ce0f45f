import "server-only";
// Category writes: permission re-checked, ONE transaction per change with its audit event.
// Categories are never deleted: archiving hides one from new-ticket forms while old tickets keep
// it. Reordering locks every category row so two admins reordering at once cannot interleave.
import { db, type Tx } from "@/lib/db";
import { changeRecorder } from "@/lib/audit/change";
import { assertCan } from "@/lib/auth/permissions";
import { NotFoundError, uniqueAsFieldError, ValidationError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";

const NOT_FOUND = "Category not found.";
const DUPLICATE = "A category with this name already exists.";
const ASSIGNEE = "Choose an active technician or admin.";

type CategoryRow = {
  id: string;
  name: string;
  position: number;
  archived: boolean;
  defaultAssigneeId: string | null;
};
const ROW_SELECT = {
  id: true,
  name: true,
  position: true,
  archived: true,
  defaultAssigneeId: true,
} as const;

async function assertUniqueName(tx: Tx, name: string, exceptId?: string) {
  // lower() = lower(), not Prisma's `mode: "insensitive"` equals: that is an ILIKE, where a name
  // such as "%" matched every category and one with a backslash matched none (T2 found both).
  const clash = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Category"
    WHERE lower(name) = lower(${name}) AND id IS DISTINCT FROM ${exceptId ?? null}
    LIMIT 1`;
  if (clash.length > 0) throw new ValidationError(DUPLICATE, { name: [DUPLICATE] });
}

async function assertStaff(tx: Tx, userId: string | null) {
  if (!userId) return;
  const ok = await tx.user.findFirst({
    where: { id: userId, active: true, role: { in: ["TECHNICIAN", "ADMIN"] } },
    select: { id: true },
  });
  if (!ok) throw new ValidationError(ASSIGNEE, { defaultAssigneeId: [ASSIGNEE] });
}

async function lockOne(tx: Tx, id: string): Promise<CategoryRow> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Category" WHERE id = ${id} FOR UPDATE`;
  if (rows.length !== 1) throw new NotFoundError(NOT_FOUND);
  return tx.category.findUniqueOrThrow({ where: { id }, select: ROW_SELECT });
}

const audit = changeRecorder("Category");

function withNameCheck<T>(fn: () => Promise<T>): Promise<T> {
  return uniqueAsFieldError("name", DUPLICATE, fn);
}

export async function createCategory(
  ctx: ServiceContext,
  input: { name: string; defaultAssigneeId: string | null },
): Promise<CategoryRow> {
  assertCan(ctx.actor, "category:manage");
  return withNameCheck(() =>
    db.$transaction(async (tx) => {
      await tx.$executeRaw`LOCK TABLE "Category" IN SHARE ROW EXCLUSIVE MODE`;
      await assertUniqueName(tx, input.name);
      await assertStaff(tx, input.defaultAssigneeId);
      const last = await tx.category.aggregate({ _max: { position: true } });
      const category = await tx.category.create({
        data: {
          name: input.name,
          position: (last._max.position ?? -1) + 1,
          defaultAssigneeId: input.defaultAssigneeId,
        },
        select: ROW_SELECT,
      });
      await audit(tx, ctx, "category.create", category.id, null, category);
      return category;
    }),
  );
}

export async function renameCategory(
  ctx: ServiceContext,
  input: { categoryId: string; name: string },
): Promise<void> {
  assertCan(ctx.actor, "category:manage");
  await withNameCheck(() =>
    db.$transaction(async (tx) => {
      const before = await lockOne(tx, input.categoryId);
      if (before.name === input.name) return;
      await assertUniqueName(tx, input.name, before.id);
      await tx.category.update({ where: { id: before.id }, data: { name: input.name } });
      await audit(
        tx,
        ctx,
        "category.rename",
        before.id,
        { name: before.name },
        { name: input.name },
      );
    }),
  );
}

/** Swaps with the neighbour in the admins' order; positions are renumbered 0..n-1 on the way. */
export async function moveCategory(
  ctx: ServiceContext,
  input: { categoryId: string; direction: "up" | "down" },
): Promise<void> {
  assertCan(ctx.actor, "category:manage");
  await db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; name: string; position: number }[]>`
      SELECT id, name, position FROM "Category" ORDER BY position, name, id FOR UPDATE`;
    const index = rows.findIndex((r) => r.id === input.categoryId);
    if (index < 0) throw new NotFoundError(NOT_FOUND);
    const other = input.direction === "up" ? index - 1 : index + 1;
    if (other < 0 || other >= rows.length) return;
    const order = rows.map((r) => r.id);
    [order[index], order[other]] = [order[other]!, order[index]!];
    // One statement for every row whose position changes (two, once the order is dense).
    const was = new Map(rows.map((r) => [r.id, r.position]));
    const changed = [...order.entries()].filter(([position, id]) => was.get(id) !== position);
    const ids = changed.map(([, id]) => id);
    const positions = changed.map(([position]) => position);
    await tx.$executeRaw`
      UPDATE "Category" AS c SET position = v.position
      FROM unnest(${ids}::text[], ${positions}::int[]) AS v(id, position)
      WHERE c.id = v.id`;
    await audit(
      tx,
      ctx,
      "category.reorder",
      input.categoryId,
      { position: index },
      { position: other },
    );
  });
}

export async function setCategoryArchived(
  ctx: ServiceContext,
  input: { categoryId: string; archived: boolean },
): Promise<void> {
  assertCan(ctx.actor, "category:manage");
  await db.$transaction(async (tx) => {
    const before = await lockOne(tx, input.categoryId);
    if (before.archived === input.archived) return;
    await tx.category.update({ where: { id: before.id }, data: { archived: input.archived } });
    await audit(
      tx,
      ctx,
      input.archived ? "category.archive" : "category.unarchive",
      before.id,
      { archived: before.archived },
      { archived: input.archived },
    );
  });
}

export async function setCategoryDefaultAssignee(
  ctx: ServiceContext,
  input: { categoryId: string; defaultAssigneeId: string | null },
): Promise<void> {
  assertCan(ctx.actor, "category:manage");
  await db.$transaction(async (tx) => {
    const before = await lockOne(tx, input.categoryId);
    if (before.defaultAssigneeId === input.defaultAssigneeId) return;
    await assertStaff(tx, input.defaultAssigneeId);
    await tx.category.update({
      where: { id: before.id },
      data: { defaultAssigneeId: input.defaultAssigneeId },
    });
    await audit(
      tx,
      ctx,
      "category.default_assignee",
      before.id,
      { defaultAssigneeId: before.defaultAssigneeId },
      { defaultAssigneeId: input.defaultAssigneeId },
    );
  });
}
