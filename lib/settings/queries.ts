import "server-only";
// Reads of instance settings for the admin page: the value, whether it was saved or is the
// default, and who saved it last. Only "settings:manage" holders (refused otherwise).
import type { z } from "zod";
import { assertCan } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import type { Viewer } from "@/lib/service-context";
import { readSetting, type SettingDefinition, type SettingState } from "@/lib/settings/store";

export type SettingForAdmin<T> = SettingState<T> & { updatedBy: string | null };

export async function getSettingForAdmin<S extends z.ZodType>(
  viewer: Viewer,
  definition: SettingDefinition<S>,
): Promise<SettingForAdmin<z.output<S>>> {
  assertCan(viewer, "settings:manage");
  const state = await readSetting(definition);
  const by = state.updatedById
    ? await db.user.findUnique({
        where: { id: state.updatedById },
        select: { name: true, email: true },
      })
    : null;
  return { ...state, updatedBy: by ? `${by.name} (${by.email})` : null };
}
