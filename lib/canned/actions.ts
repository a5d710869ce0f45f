"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/action";
import { listCannedResponses } from "@/lib/canned/queries";
import {
  CannedCreateSchema,
  CannedDeleteSchema,
  CannedSearchSchema,
  CannedUpdateSchema,
} from "@/lib/canned/schemas";
import {
  createCannedResponse,
  deleteCannedResponse,
  updateCannedResponse,
} from "@/lib/canned/service";

// Personal snippets ("canned:use", one's own only) and shared ones ("canned:manage") have actions
// of their own, so the wrapper checks the right permission before anything else.

const PAGE = "/canned-responses";

export const createCannedResponseAction = defineAction({
  name: "canned.created",
  schema: CannedCreateSchema,
  permission: "canned:use",
  async handler(input, ctx) {
    const created = await createCannedResponse(ctx, { ...input, shared: false });
    revalidatePath(PAGE);
    return created;
  },
});

export const updateCannedResponseAction = defineAction({
  name: "canned.updated",
  schema: CannedUpdateSchema,
  permission: "canned:use",
  async handler(input, ctx) {
    const result = await updateCannedResponse(ctx, { ...input, shared: false });
    revalidatePath(PAGE);
    return result;
  },
});

export const deleteCannedResponseAction = defineAction({
  name: "canned.deleted",
  schema: CannedDeleteSchema,
  permission: "canned:use",
  async handler(input, ctx) {
    await deleteCannedResponse(ctx, { ...input, shared: false });
    revalidatePath(PAGE);
    return null;
  },
});

export const createSharedCannedResponseAction = defineAction({
  name: "canned.created",
  schema: CannedCreateSchema,
  permission: "canned:manage",
  async handler(input, ctx) {
    const created = await createCannedResponse(ctx, { ...input, shared: true });
    revalidatePath(PAGE);
    return created;
  },
});

export const updateSharedCannedResponseAction = defineAction({
  name: "canned.updated",
  schema: CannedUpdateSchema,
  permission: "canned:manage",
  async handler(input, ctx) {
    const result = await updateCannedResponse(ctx, { ...input, shared: true });
    revalidatePath(PAGE);
    return result;
  },
});

export const deleteSharedCannedResponseAction = defineAction({
  name: "canned.deleted",
  schema: CannedDeleteSchema,
  permission: "canned:manage",
  async handler(input, ctx) {
    await deleteCannedResponse(ctx, { ...input, shared: true });
    revalidatePath(PAGE);
    return null;
  },
});

/**
 * The reply box's picker loads the list when it first opens (not with every ticket page): the
 * viewer's own and the shared snippets, nothing else. Only what the picker shows is returned.
 */
export const listCannedResponsesAction = defineAction({
  name: "canned.list",
  schema: CannedSearchSchema,
  permission: "canned:use",
  async handler(input, ctx) {
    const items = await listCannedResponses(ctx.actor, input);
    return items.map(({ id, title, body, shared }) => ({ id, title, body, shared }));
  },
});
