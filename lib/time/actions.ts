"use server";
// Time entries (issue 15 §5): thin actions over lib/time/service.ts through defineAction. "Today"
// is the viewer's (the time zone their browser reported), the latest day one may log.
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/action";
import { getDateContext } from "@/lib/dates-server";
import { todayIn } from "@/lib/time/duration";
import {
  TimeEntryCreateSchema,
  TimeEntryDeleteSchema,
  TimeEntryUpdateSchema,
} from "@/lib/time/schemas";
import { deleteTimeEntry, logTime, updateTimeEntry } from "@/lib/time/service";

async function today() {
  return { today: todayIn((await getDateContext()).timeZone) };
}
function refresh<T>(result: T): T {
  revalidatePath("/tickets", "layout");
  return result;
}

export const logTimeAction = defineAction({
  name: "time.log",
  schema: TimeEntryCreateSchema,
  permission: "time:log",
  handler: async (input, ctx) => refresh(await logTime(ctx, input, await today())),
});

export const updateTimeEntryAction = defineAction({
  name: "time.update",
  schema: TimeEntryUpdateSchema,
  permission: "time:edit",
  handler: async (input, ctx) => refresh(await updateTimeEntry(ctx, input, await today())),
});

export const deleteTimeEntryAction = defineAction({
  name: "time.delete",
  schema: TimeEntryDeleteSchema,
  permission: "time:edit",
  handler: async (input, ctx) => refresh(await deleteTimeEntry(ctx, input)),
});
