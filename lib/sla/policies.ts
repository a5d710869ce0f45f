import "server-only";
// SLA policies (ADR 024): writes with their audit event in ONE transaction. The first active
// policy by position that matches applies; the default one (isDefault) stays last, active, and
// matches everything: it cannot be deleted, deactivated, moved or given conditions.
import { changeRecorder } from "@/lib/audit/change";
import { assertCan } from "@/lib/auth/permissions";
import type { Tx } from "@/lib/db";
import { writeSlaRules } from "@/lib/sla/rules";
import { NotFoundError, uniqueAsFieldError, ValidationError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import type { PolicyValues } from "@/lib/sla/schemas";

const NOT_FOUND = "Policy not found.";
const DUPLICATE = "A policy with this name already exists.";

const audit = changeRecorder("SlaPolicy");

const SELECT = {
  id: true,
  name: true,
  position: true,
  isDefault: true,
  active: true,
  priorities: true,
  categoryIds: true,
  calendarId: true,
  firstResponseMinutes: true,
  nextResponseMinutes: true,
  resolutionMinutes: true,
  atRiskPercent: true,
} as const;

function withNameCheck<T>(fn: () => Promise<T>): Promise<T> {
  return uniqueAsFieldError("name", DUPLICATE, fn);
}

async function assertReferences(tx: Tx, input: PolicyValues) {
  const calendar = await tx.businessCalendar.findUnique({
    where: { id: input.calendarId },
    select: { id: true },
  });
  if (!calendar) {
    throw new ValidationError("Choose a calendar.", { calendarId: ["Choose a calendar."] });
  }
  if (input.categoryIds.length > 0) {
    const found = await tx.category.count({ where: { id: { in: input.categoryIds } } });
    if (found !== input.categoryIds.length) {
      throw new ValidationError("Choose categories from the list.", {
        categoryIds: ["Choose categories from the list."],
      });
    }
  }
}

async function lockPolicy(tx: Tx, id: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "SlaPolicy" WHERE id = ${id} FOR UPDATE`;
  if (rows.length !== 1) throw new NotFoundError(NOT_FOUND);
  return tx.slaPolicy.findUniqueOrThrow({ where: { id }, select: SELECT });
}

export async function createPolicy(
  ctx: ServiceContext,
  input: PolicyValues,
): Promise<{ id: string }> {
  assertCan(ctx.actor, "sla:manage");
  return withNameCheck(() =>
    writeSlaRules(async (tx) => {
      await tx.$executeRaw`LOCK TABLE "SlaPolicy" IN SHARE ROW EXCLUSIVE MODE`;
      await assertReferences(tx, input);
      const last = await tx.slaPolicy.aggregate({
        where: { isDefault: false },
        _max: { position: true },
      });
      const row = await tx.slaPolicy.create({
        data: { ...input, position: (last._max.position ?? -1) + 1 },
        select: SELECT,
      });
      await audit(tx, ctx, "sla.policy.created", row.id, null, row);
      return { id: row.id };
    }),
  );
}

export async function updatePolicy(
  ctx: ServiceContext,
  input: PolicyValues & { policyId: string },
): Promise<void> {
  assertCan(ctx.actor, "sla:manage");
  await withNameCheck(() =>
    writeSlaRules(async (tx) => {
      const { id, position, isDefault, ...before } = await lockPolicy(tx, input.policyId);
      const { policyId: _id, ...values } = input;
      if (isDefault && (!values.active || values.priorities.length + values.categoryIds.length)) {
        throw new ValidationError(
          "The default policy is always active and applies to every ticket no other policy matches.",
        );
      }
      await assertReferences(tx, values);
      const after = { ...before, ...values };
      if (JSON.stringify(before) === JSON.stringify(after)) return;
      await tx.slaPolicy.update({ where: { id }, data: values });
      await audit(tx, ctx, "sla.policy.updated", id, before, after, { position, isDefault });
    }),
  );
}

/** Swaps with the neighbour among the non-default policies (renumbered 0..n-1 on the way). */
export async function movePolicy(
  ctx: ServiceContext,
  input: { policyId: string; direction: "up" | "down" },
): Promise<void> {
  assertCan(ctx.actor, "sla:manage");
  await writeSlaRules(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; position: number; isDefault: boolean }[]>`
      SELECT id, position, "isDefault" FROM "SlaPolicy" ORDER BY position, name, id FOR UPDATE`;
    const target = rows.find((r) => r.id === input.policyId);
    if (!target) throw new NotFoundError(NOT_FOUND);
    if (target.isDefault) throw new ValidationError("The default policy always comes last.");
    const order = rows.filter((r) => !r.isDefault).map((r) => r.id);
    const index = order.indexOf(input.policyId);
    const other = input.direction === "up" ? index - 1 : index + 1;
    if (other < 0 || other >= order.length) return;
    [order[index], order[other]] = [order[other]!, order[index]!];
    const was = new Map(rows.map((r) => [r.id, r.position]));
    const changed = [...order.entries()].filter(([position, id]) => was.get(id) !== position);
    await tx.$executeRaw`
      UPDATE "SlaPolicy" AS p SET position = v.position
      FROM unnest(${changed.map(([, id]) => id)}::text[], ${changed.map(([p]) => p)}::int[])
        AS v(id, position)
      WHERE p.id = v.id`;
    await audit(
      tx,
      ctx,
      "sla.policy.updated",
      input.policyId,
      { position: index },
      { position: other },
      { moved: input.direction },
    );
  });
}

export async function deletePolicy(
  ctx: ServiceContext,
  input: { policyId: string },
): Promise<void> {
  assertCan(ctx.actor, "sla:manage");
  await writeSlaRules(async (tx) => {
    const before = await lockPolicy(tx, input.policyId);
    if (before.isDefault) throw new ValidationError("The default policy cannot be deleted.");
    // Tickets keep their due times; the foreign key clears their policy link (ON DELETE SET
    // NULL) and their next change applies the policies again.
    await tx.slaPolicy.delete({ where: { id: before.id } });
    await audit(tx, ctx, "sla.policy.deleted", before.id, before, null);
  });
}
