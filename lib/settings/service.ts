import "server-only";
// Saving an instance setting: permission re-checked, the row and its audit event
// ("settings.updated", before/after) in ONE transaction, then this process's cache cleared.
import type { z } from "zod";
import { changeRecorder } from "@/lib/audit/change";
import { assertCan } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { ValidationError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { forgetCachedSetting, writeSetting, type SettingDefinition } from "@/lib/settings/store";

const audit = changeRecorder("Setting");

/** Saves `input` for the key (validated again here: a service trusts no caller). */
export async function updateSetting<S extends z.ZodType>(
  ctx: ServiceContext,
  definition: SettingDefinition<S>,
  input: unknown,
): Promise<{ changed: boolean }> {
  assertCan(ctx.actor, "settings:manage");
  const parsed = definition.schema.safeParse(input);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? "Check the values.";
    throw new ValidationError(message);
  }
  const value = parsed.data;
  const changed = await db.$transaction(async (tx) => {
    const { before, changed } = await writeSetting(tx, definition, value, ctx.actor.id);
    if (!changed) return false;
    await audit(tx, ctx, "settings.updated", definition.key, before.value, value, {
      wasDefault: !before.saved,
    });
    return true;
  });
  forgetCachedSetting(definition.key);
  return { changed };
}
