// Shared by the T2 SQL-injection suites (vitest and Playwright): the payload corpus and small
// helpers. Not a test file itself.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const CORPUS_PATH = fileURLToPath(new URL("./corpora/sqli-payloads.txt", import.meta.url));

/**
 * tests/security/corpora/sqli-payloads.txt, one payload a line, verbatim (leading and trailing
 * spaces included). Lines starting with "#!" name the section that follows (see README.md).
 */
export function corpusPayloads(): string[] {
  return readFileSync(CORPUS_PATH, "utf8")
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#!"));
}

/**
 * Payloads a text file cannot carry reliably (NUL, line and paragraph separators, a BOM, ANSI
 * escapes): PostgreSQL text and jsonb refuse NUL, so these must be refused before any query.
 */
export const CONTROL_PAYLOADS = [
  "\u0000",
  "a\u0000b",
  '\'\u0000; DROP TABLE "Ticket"; --',
  "\u0000' OR 1=1 --",
  "title\r\n' OR 1=1 --",
  "\u2028' OR '1'='1\u2029",
  "\uFEFF' OR 1=1 --",
  "zero\u200Bwidth' --",
  "\u001B[31m' --",
  "tab\t' OR 1=1 --",
];

/** The corpus's first section: our PostgreSQL-specific payloads (up to the first source file). */
export function ownPayloads(): string[] {
  const lines = readFileSync(CORPUS_PATH, "utf8").split("\n");
  const end = lines.findIndex((line, i) => i > 0 && line.startsWith("#!"));
  return lines.slice(1, end).filter((line) => line !== "");
}

/** Every payload of T2: the corpus, then the control-character payloads. */
export function t2Payloads(): string[] {
  return [...corpusPayloads(), ...CONTROL_PAYLOADS];
}

/** Runs `fn` over `items` with at most `limit` calls in flight. */
export async function eachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index]!, index);
    }
  });
  await Promise.all(workers);
}

/** Short printable form of a payload for assertion messages. */
export function show(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
