import "server-only";
// Personal access tokens (ADR 025): creation, revocation, and the revocation a demotion or a
// deactivation brings. Every write and its audit event ("apitoken.create", "apitoken.revoke")
// commit in ONE transaction; the audit keeps the name, display prefix, scopes and expiry, never
// the token or its hash. The token itself is returned once, by the creation, and stored nowhere.
//
// Who: everyone creates tokens for themself ("apitoken:manage"), with scopes their role allows;
// admins create a service account's tokens ("user:manage", createServiceToken) with scopes that
// account's role allows. A token is revoked by its owner, or by a holder of "apitoken:manage" on
// everyone's (admins); anyone else's is "not found", like an unknown id, and the probe audited.
import { changeRecorder } from "@/lib/audit/change";
import { ACTIVE_TOKENS_MAX, expiryDate, type ApiTokenCreateValues } from "@/lib/api-tokens/schemas";
import { displayPrefix, generateToken, hashToken } from "@/lib/api-tokens/format";
import { scopesBeyondRole, type ApiScope } from "@/lib/api-tokens/scopes";
import { assertCan, canOn, type Role } from "@/lib/auth/permissions";
import { requireFreshConfirmation } from "@/lib/auth/reauth";
import { db, type Tx } from "@/lib/db";
import { ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { recordRefusal } from "@/lib/security/refusals";
import type { ServiceContext } from "@/lib/service-context";

export const TOKEN_NOT_FOUND = "Token not found.";
export const SCOPE_BEYOND_ROLE = "does not allow these scopes:";
const audit = changeRecorder("ApiToken");

type Owner = { id: string; role: Role; kind: "PERSON" | "SERVICE" };

/** What the creator sees once: the token itself, and what the list shows of it afterwards. */
export type CreatedToken = {
  id: string;
  token: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  expiresAt: Date | null;
};

/** A token for oneself (the account page). The token is in the result, and nowhere else. */
export async function createToken(
  ctx: ServiceContext,
  input: ApiTokenCreateValues,
): Promise<CreatedToken> {
  assertCan(ctx.actor, "apitoken:manage");
  return issue(ctx, { id: ctx.actor.id }, input, "Your role");
}

/** A token for a service account, by an admin (Admin → Users → the account). */
export async function createServiceToken(
  ctx: ServiceContext,
  input: ApiTokenCreateValues & { userId: string },
): Promise<CreatedToken> {
  assertCan(ctx.actor, "user:manage");
  return issue(ctx, { id: input.userId, service: true }, input, "The account's role");
}

async function issue(
  ctx: ServiceContext,
  target: { id: string; service?: boolean },
  input: ApiTokenCreateValues,
  whose: string,
): Promise<CreatedToken> {
  const token = generateToken();
  const now = new Date();
  return db.$transaction(async (tx) => {
    // Serialises creations for one owner (two tabs at once cannot pass the limit) and reads the
    // owner's role under the same lock a role change takes.
    const [owner] = await tx.$queryRaw<(Owner & { active: boolean })[]>`
      SELECT id, role::text AS role, kind::text AS kind, active
      FROM "User" WHERE id = ${target.id} FOR UPDATE`;
    if (!owner || (target.service && owner.kind !== "SERVICE")) {
      throw new NotFoundError("Service account not found.");
    }
    if (!owner.active) throw new ForbiddenError("This account is deactivated.");
    const beyond = scopesBeyondRole(owner.role, input.scopes);
    if (beyond.length > 0) {
      const message = `${whose} ${SCOPE_BEYOND_ROLE} ${beyond.join(", ")}.`;
      throw new ValidationError(message, { scopes: [message] });
    }
    // A token that manages users stands in for a fresh password confirmation later (deactivate,
    // change roles: lib/auth/reauth.ts requireConfirmation), so creating one needs one now.
    if (input.scopes.includes("users:write")) {
      await requireFreshConfirmation(tx, ctx.actor.id, ctx.reauthToken);
    }
    const active = await tx.apiToken.count({
      where: {
        userId: owner.id,
        revokedAt: null,
        OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
      },
    });
    if (active >= ACTIVE_TOKENS_MAX) {
      throw new ValidationError(
        `An account may hold ${ACTIVE_TOKENS_MAX} active tokens at most. Revoke one first.`,
      );
    }
    const row = await tx.apiToken.create({
      data: {
        userId: owner.id,
        name: input.name,
        prefix: displayPrefix(token),
        secretHash: hashToken(token),
        scopes: input.scopes,
        expiresAt: expiryDate(input.expiresIn, now),
        createdById: ctx.actor.id,
      },
      select: { id: true, name: true, prefix: true, scopes: true, expiresAt: true },
    });
    await audit(tx, ctx, "apitoken.create", row.id, null, {
      ownerId: owner.id,
      name: row.name,
      prefix: row.prefix,
      scopes: row.scopes,
      expiresAt: row.expiresAt,
    });
    return { ...row, scopes: row.scopes as ApiScope[], token };
  });
}

type TokenRow = {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  revokedAt: Date | null;
};

/** Thrown inside the transaction; an audited refusal + NotFoundError outside it. */
class NotVisible extends Error {}

/**
 * Revokes a token: its owner's own, or anyone's for a holder of "apitoken:manage" on everyone's
 * (admins). Someone else's token is "not found", exactly like an unknown id, and the probe is
 * audited as a refusal. Revoking a revoked token changes nothing.
 */
export async function revokeToken(
  ctx: ServiceContext,
  input: { tokenId: string },
): Promise<{ changed: boolean }> {
  assertCan(ctx.actor, "apitoken:manage");
  try {
    return await db.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<TokenRow[]>`
        SELECT id, "userId", name, prefix, "revokedAt" FROM "ApiToken"
        WHERE id = ${input.tokenId} FOR UPDATE`;
      if (!row || !canOn(ctx.actor, "apitoken:manage", row.userId)) throw new NotVisible();
      if (row.revokedAt) return { changed: false };
      await tx.apiToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
      await auditRevocation(tx, ctx, row, { reason: "revoked" });
      return { changed: true };
    });
  } catch (error) {
    if (!(error instanceof NotVisible)) throw error;
    const exists = await db.apiToken.findUnique({
      where: { id: input.tokenId },
      select: { id: true },
    });
    if (exists) {
      await recordRefusal({
        key: ["hidden", "apitoken.revoke", `u:${ctx.actor.id}`],
        audit: {
          actor: ctx.actor,
          action: "apitoken.revoke",
          entityType: "ApiToken",
          entityId: exists.id,
          outcome: "REFUSED",
          metadata: { reason: "not_visible" },
          context: ctx.request,
        },
      });
    }
    throw new NotFoundError(TOKEN_NOT_FOUND);
  }
}

function auditRevocation(tx: Tx, ctx: ServiceContext, row: TokenRow, metadata: object) {
  return audit(
    tx,
    ctx,
    "apitoken.revoke",
    row.id,
    { ownerId: row.userId, name: row.name, prefix: row.prefix, revoked: false },
    { ownerId: row.userId, name: row.name, prefix: row.prefix, revoked: true },
    metadata,
  );
}

/**
 * In a role change's or a deactivation's own transaction (lib/users/admin-service.ts): revokes
 * the user's live tokens the new state no longer allows — with `role`, those holding a scope
 * beyond it; without, all of them — each audited. authenticateApiToken already refuses them at
 * once; revoking them too means a later promotion or reactivation does not revive them.
 */
export async function revokeTokensInTx(
  tx: Tx,
  ctx: ServiceContext,
  userId: string,
  why: { reason: "role_change"; from: Role; role: Role } | { reason: "deactivation" },
): Promise<number> {
  const rows = await tx.$queryRaw<(TokenRow & { scopes: string[] })[]>`
    SELECT id, "userId", name, prefix, "revokedAt", scopes FROM "ApiToken"
    WHERE "userId" = ${userId} AND "revokedAt" IS NULL ORDER BY id FOR UPDATE`;
  const doomed = rows.filter(
    (r) => why.reason === "deactivation" || scopesBeyondRole(why.role, r.scopes).length > 0,
  );
  if (doomed.length === 0) return 0;
  await tx.apiToken.updateMany({
    where: { id: { in: doomed.map((r) => r.id) } },
    data: { revokedAt: new Date() },
  });
  for (const row of doomed) {
    await auditRevocation(
      tx,
      ctx,
      row,
      why.reason === "role_change"
        ? { reason: why.reason, from: why.from, to: why.role }
        : { reason: why.reason },
    );
  }
  return doomed.length;
}
