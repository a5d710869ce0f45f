// Text that PostgreSQL can store. `text` and `jsonb` refuse U+0000 (NUL) with an error, so every
// schema that lets text reach the database refuses it first: a validation message on forms, a
// dropped parameter in URLs. Client-safe (used by the shared zod schemas).

export const NUL_MESSAGE = "Remove the invisible NUL character from this text.";

/** False when the text contains U+0000, which PostgreSQL cannot store. */
export function storable(value: string): boolean {
  return !value.includes("\u0000");
}

/**
 * A LIKE/ILIKE pattern matching `value` literally. Prisma's `contains` does not escape `%`, `_`
 * or backslashes: a search for "%" matched every row.
 */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The earliest day PostgreSQL's timestamp accepts in ISO form (it has no year 0000). */
export const MIN_ISO_DAY = "0001-01-01";
