import "server-only";
// One's own email settings (issue 14 §1): notification kinds on or off, categories followed.
import { recordAudit } from "@/lib/audit";
import { db } from "@/lib/db";
import { kindsFor, type NotificationKind } from "@/lib/email/kinds";
import type { NotificationSettingsData } from "@/lib/email/schemas";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";

export type NotificationSettings = {
  /** When mail to this address last bounced (notifications are paused); null: it did not. */
  bouncingAt: Date | null;
  kinds: { kind: NotificationKind; on: boolean }[];
  /** Staff only: every open category and whether it is followed. */
  categories: { id: string; name: string; followed: boolean }[] | null;
};

export async function notificationSettings(user: {
  id: string;
  role: "ADMIN" | "TECHNICIAN" | "USER";
}): Promise<NotificationSettings> {
  const row = await db.user.findUniqueOrThrow({
    where: { id: user.id },
    select: {
      emailOff: true,
      emailBouncingAt: true,
      followedCategories: { select: { categoryId: true } },
    },
  });
  const followed = new Set(row.followedCategories.map((f) => f.categoryId));
  const categories =
    user.role === "USER"
      ? null
      : (
          await db.category.findMany({
            where: { archived: false },
            orderBy: [{ position: "asc" }, { name: "asc" }],
            select: { id: true, name: true },
          })
        ).map((c) => ({ ...c, followed: followed.has(c.id) }));
  return {
    bouncingAt: row.emailBouncingAt,
    kinds: kindsFor(user.role).map((kind) => ({ kind, on: !row.emailOff.includes(kind) })),
    categories,
  };
}

const FOLLOW_MESSAGE = "Choose categories from the list.";

export async function updateNotificationSettings(
  ctx: ServiceContext,
  input: NotificationSettingsData,
): Promise<void> {
  const { actor } = ctx;
  if (actor.role === "USER" && input.follow.length > 0) {
    throw new ForbiddenError("Only the help desk can follow categories.");
  }
  const allowed = kindsFor(actor.role);
  const emailOff = allowed.filter((kind) => !input.on.includes(kind));
  await db.$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({
      where: { id: actor.id },
      select: { emailOff: true, followedCategories: { select: { categoryId: true } } },
    });
    const kept = new Set(before.followedCategories.map((f) => f.categoryId));
    // New follows must be open categories; ones already followed may stay after archiving.
    const added = input.follow.filter((id) => !kept.has(id));
    if (added.length > 0) {
      const open = await tx.category.count({ where: { id: { in: added }, archived: false } });
      if (open !== added.length)
        throw new ValidationError(FOLLOW_MESSAGE, { follow: [FOLLOW_MESSAGE] });
    }
    // Saving confirms the address: notifications paused by a bounce start again.
    await tx.user.update({ where: { id: actor.id }, data: { emailOff, emailBouncingAt: null } });
    await tx.categoryFollow.deleteMany({
      where: { userId: actor.id, categoryId: { notIn: input.follow } },
    });
    await tx.categoryFollow.createMany({
      data: added.map((categoryId) => ({ userId: actor.id, categoryId })),
    });
    await recordAudit(tx, {
      actor,
      action: "account.notifications",
      entityType: "User",
      entityId: actor.id,
      outcome: "SUCCESS",
      before: { emailOff: before.emailOff, follow: [...kept].sort() },
      after: { emailOff, follow: [...input.follow].sort() },
      context: ctx.request,
    });
  });
}
