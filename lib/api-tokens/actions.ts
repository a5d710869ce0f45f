"use server";
// Personal access tokens (ADR 025): one's own ("apitoken:manage") and, for admins, a service
// account's ("user:manage"). The created token is in the result: shown once, stored nowhere.
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/action";
import {
  ApiTokenCreateSchema,
  ApiTokenRevokeSchema,
  ServiceTokenCreateSchema,
} from "@/lib/api-tokens/schemas";
import { createServiceToken, createToken, revokeToken } from "@/lib/api-tokens/service";

const PAGE = "/account/tokens";

export const createApiTokenAction = defineAction({
  name: "apitoken.create",
  schema: ApiTokenCreateSchema,
  permission: "apitoken:manage",
  async handler(input, ctx) {
    const created = await createToken(ctx, input);
    revalidatePath(PAGE);
    return created;
  },
});

/** Revokes one's own token, or (admins) anyone's; someone else's is "not found" otherwise. */
export const revokeApiTokenAction = defineAction({
  name: "apitoken.revoke",
  schema: ApiTokenRevokeSchema,
  permission: "apitoken:manage",
  async handler(input, ctx) {
    const result = await revokeToken(ctx, input);
    revalidatePath(PAGE);
    revalidatePath("/admin/users", "layout");
    return result;
  },
});

export const createServiceTokenAction = defineAction({
  name: "apitoken.create",
  schema: ServiceTokenCreateSchema,
  permission: "user:manage",
  async handler(input, ctx) {
    const created = await createServiceToken(ctx, input);
    revalidatePath(`/admin/users/${input.userId}`);
    return created;
  },
});
