import "server-only";
// Instance settings (ADR 022): a key, a zod schema and a default per setting; one row per saved
// key in "Setting". Reads are cached per process for a few seconds, so a hot path (every upload)
// does not ask the database each time; a save clears this process's cache at once, and other
// instances see it within CACHE_MS. Domains define their keys next to their code (e.g.
// lib/attachments/settings.ts); changes go through lib/settings/service.ts (audited).
import type { z } from "zod";
import { db, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/logger";

/** How long a read value is trusted without asking the database again. */
export const CACHE_MS = 5_000;

export type SettingDefinition<S extends z.ZodType = z.ZodType> = {
  key: string;
  /** Validates a save (field errors for the form) and every stored value read back. */
  schema: S;
  /** The value while nothing was saved (often from the environment). */
  defaultValue: () => z.output<S>;
};

export function defineSetting<S extends z.ZodType>(
  definition: SettingDefinition<S>,
): SettingDefinition<S> {
  return definition;
}

export type SettingState<T> = {
  value: T;
  /** false: nothing saved, `value` is the default. */
  saved: boolean;
  updatedAt: Date | null;
  updatedById: string | null;
};

type Row = { value: unknown; updatedAt: Date; updatedById: string | null } | null;

const cache = new Map<string, { at: number; row: Promise<Row> }>();

/** The stored value if it still passes its schema, else the default (and an error logged). */
function stateOf<S extends z.ZodType>(
  definition: SettingDefinition<S>,
  row: Row,
): SettingState<z.output<S>> {
  if (row) {
    const parsed = definition.schema.safeParse(row.value);
    if (parsed.success) {
      return {
        value: parsed.data,
        saved: true,
        updatedAt: row.updatedAt,
        updatedById: row.updatedById,
      };
    }
    logger.error(
      { setting: definition.key, issues: parsed.error.issues },
      "stored setting no longer valid: using its default",
    );
  }
  return { value: definition.defaultValue(), saved: false, updatedAt: null, updatedById: null };
}

function load(key: string): Promise<Row> {
  return db.setting.findUnique({
    where: { key },
    select: { value: true, updatedAt: true, updatedById: true },
  });
}

/** The setting with where it comes from, cached for CACHE_MS (one query per key at a time). */
export async function readSetting<S extends z.ZodType>(
  definition: SettingDefinition<S>,
): Promise<SettingState<z.output<S>>> {
  const now = Date.now();
  let hit = cache.get(definition.key);
  if (!hit || now - hit.at >= CACHE_MS) {
    hit = { at: now, row: load(definition.key) };
    cache.set(definition.key, hit);
    // A failed read is not cached: the next call asks again.
    hit.row.catch(() => cache.delete(definition.key));
  }
  return stateOf(definition, await hit.row);
}

/** The setting's value (saved or default), cached for CACHE_MS. */
export async function getSetting<S extends z.ZodType>(
  definition: SettingDefinition<S>,
): Promise<z.output<S>> {
  return (await readSetting(definition)).value;
}

/**
 * In a transaction: locks the key (two admins saving at once are serialized), reads the current
 * state uncached and writes `value` unless it is already the saved one (`changed` false). The
 * caller audits in the same transaction and calls forgetCachedSetting after the commit.
 */
export async function writeSetting<S extends z.ZodType>(
  tx: Tx,
  definition: SettingDefinition<S>,
  value: z.output<S>,
  updatedById: string,
): Promise<{ before: SettingState<z.output<S>>; changed: boolean }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`setting:${definition.key}`}))`;
  const before = stateOf(
    definition,
    await tx.setting.findUnique({
      where: { key: definition.key },
      select: { value: true, updatedAt: true, updatedById: true },
    }),
  );
  if (before.saved && JSON.stringify(before.value) === JSON.stringify(value)) {
    return { before, changed: false };
  }
  const json = value as Prisma.InputJsonValue;
  await tx.setting.upsert({
    where: { key: definition.key },
    create: { key: definition.key, value: json, updatedById },
    update: { value: json, updatedById },
  });
  return { before, changed: true };
}

/** Drops this process's cached copy (after a save commits; tests). */
export function forgetCachedSetting(key?: string): void {
  if (key === undefined) cache.clear();
  else cache.delete(key);
}
