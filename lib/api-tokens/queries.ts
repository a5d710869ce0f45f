import "server-only";
// The token lists (ADR 025): one's own on the account page; an admin's view of anyone's on their
// user page. Never the hash. Revoked tokens leave the list (the audit trail keeps them).
import { canOn, type Permission } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { timeText, type TimeText } from "@/lib/dates";
import { getDateContext } from "@/lib/dates-server";
import { ForbiddenError } from "@/lib/errors";
import type { Viewer } from "@/lib/service-context";
import { API_SCOPES, scopesForRole, type ApiScope } from "@/lib/api-tokens/scopes";
import type { Role } from "@/lib/auth/permissions";

export type TokenListItem = {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
};

const PERMISSION: Permission = "apitoken:manage";
export const TOKEN_LIST_LIMIT = 100;

/** The live tokens of `ownerId` (default: the viewer), newest first; someone else's needs "all". */
export async function listTokens(viewer: Viewer, ownerId: string = viewer.id) {
  if (!canOn(viewer, PERMISSION, ownerId)) throw new ForbiddenError();
  const rows = await db.apiToken.findMany({
    where: { userId: ownerId, revokedAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: TOKEN_LIST_LIMIT,
    select: {
      id: true,
      name: true,
      prefix: true,
      scopes: true,
      createdAt: true,
      expiresAt: true,
      lastUsedAt: true,
      lastUsedIp: true,
    },
  });
  return rows.map((r) => ({ ...r, scopes: r.scopes as ApiScope[] })) satisfies TokenListItem[];
}

/** A list row as the pages hand it to the client list: times in the viewer's zone and locale. */
export type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created: TimeText;
  expires: TimeText | null;
  expired: boolean;
  lastUsed: TimeText | null;
  lastUsedIp: string | null;
};

export async function tokenRows(viewer: Viewer, ownerId?: string): Promise<TokenRow[]> {
  const [tokens, ctx] = await Promise.all([listTokens(viewer, ownerId), getDateContext()]);
  const now = Date.now();
  return tokens.map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes,
    created: timeText(t.createdAt, ctx),
    expires: t.expiresAt ? timeText(t.expiresAt, ctx, "exact") : null,
    expired: t.expiresAt !== null && t.expiresAt.getTime() <= now,
    lastUsed: t.lastUsedAt ? timeText(t.lastUsedAt, ctx) : null,
    lastUsedIp: t.lastUsedIp,
  }));
}

/** The scopes a role may give a token, with their labels, for the creation form. */
export function scopeOptions(role: Role) {
  return scopesForRole(role).map((name) => ({
    name,
    label: API_SCOPES[name].label,
    description: API_SCOPES[name].description,
  }));
}
