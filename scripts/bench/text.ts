// Synthetic English-like help-desk text, generated in Node with a seeded PRNG (reproducible) and
// loaded into two pool tables; PostgreSQL then assembles ticket and comment text from the pools
// with set-based joins, which is far cheaper than drawing words row by row in SQL.
import type pg from "pg";
import { prng } from "../../prisma/prng";
import { COMMON } from "./words";

/** Zipf-like: u^2.5 puts most of the mass on the head of COMMON (ordered by frequency). */
function word(rand: () => number): string {
  return COMMON[Math.floor(COMMON.length * Math.pow(rand(), 2.5))]!;
}

function words(rand: () => number, min: number, max: number): string[] {
  const count = min + Math.floor(rand() * (max - min + 1));
  return Array.from({ length: count }, () => word(rand));
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function makeSentence(rand: () => number): string {
  return `${capitalize(words(rand, 6, 18).join(" "))}.`;
}

export function makeTitle(rand: () => number): string {
  // Titles skip the stop-word-heavy head so they read like subjects ("Printer jam floor 3").
  const parts = words(rand, 3, 8).filter((w) => w.length > 3);
  const title = capitalize((parts.length >= 2 ? parts : ["help", "needed", ...parts]).join(" "));
  return title.slice(0, 200);
}

async function loadPool(
  client: pg.Client,
  table: string,
  count: number,
  make: (rand: () => number) => string,
  seed: number,
): Promise<void> {
  const rand = prng(seed);
  // Identifiers here are constants of this module, never input.
  await client.query(`CREATE UNLOGGED TABLE ${table} (id int PRIMARY KEY, txt text NOT NULL)`);
  const batch = 20_000;
  for (let start = 1; start <= count; start += batch) {
    const ids: number[] = [];
    const texts: string[] = [];
    for (let id = start; id < Math.min(start + batch, count + 1); id++) {
      ids.push(id);
      texts.push(make(rand));
    }
    await client.query(`INSERT INTO ${table} SELECT * FROM unnest($1::int[], $2::text[])`, [
      ids,
      texts,
    ]);
  }
  await client.query(`ANALYZE ${table}`);
}

export const SENTENCE_POOL = 200_000;
export const TITLE_POOL = 50_000;

/** bench_sentence(id 1..SENTENCE_POOL) and bench_title(id 1..TITLE_POOL); dropped after seeding. */
export async function loadTextPools(client: pg.Client): Promise<void> {
  await client.query("DROP TABLE IF EXISTS bench_sentence, bench_title");
  await loadPool(client, "bench_sentence", SENTENCE_POOL, makeSentence, 42);
  await loadPool(client, "bench_title", TITLE_POOL, makeTitle, 4242);
}
