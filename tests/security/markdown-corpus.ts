// Adversarial Markdown (issue 10 §1): inputs within the 20,000-character limit of a description
// or comment that are meant to make a Markdown renderer slow, deep-recursive or huge. Used by the
// security test (tests/security/markdown-dos.test.ts) and the benchmark (`npm run bench --
// --markdown`). Every case is deterministic; generated cases come from a seeded PRNG.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { prng } from "@/prisma/prng";

/** The limit of a description / reply (lib/tickets/schemas.ts). */
export const MAX_SOURCE = 20_000;

export type MarkdownCase = { name: string; source: string };

/** `unit` repeated to fill at most `max` characters (default: the whole limit). */
const fill = (unit: string, max = MAX_SOURCE) => unit.repeat(Math.floor(max / unit.length));

/** The three measured in the issue, then named families. */
export function namedCases(): MarkdownCase[] {
  const cases: MarkdownCase[] = [
    // The three.
    { name: "issue: *a x10000", source: "*a".repeat(10_000) },
    { name: "issue: ~a x10000", source: "~a".repeat(10_000) },
    { name: "issue: > x3000 + ' x'", source: ">".repeat(3000) + " x" },
    // Deep block nesting.
    { name: "blockquote > x19998", source: ">".repeat(19_998) + " x" },
    { name: "blockquote '> ' x9999", source: "> ".repeat(9_999) + "x" },
    { name: "list '- ' x9999 (one line)", source: "- ".repeat(9_999) + "x" },
    { name: "list '1. ' x6666", source: "1. ".repeat(6_666) + "x" },
    {
      name: "list indented 140 levels",
      source: Array.from({ length: 140 }, (_, i) => `${"  ".repeat(i)}- item ${i}`)
        .join("\n")
        .slice(0, MAX_SOURCE),
    },
    { name: "list/quote mix '> - ' x5000", source: fill("> - ", MAX_SOURCE - 1) + "x" },
    // Emphasis and delimiters.
    { name: "emphasis *x10000 a _x9999", source: "*".repeat(10_000) + "a" + "_".repeat(9_999) },
    { name: "emphasis **_ ... _**", source: "**_".repeat(3_333) + "x" },
    { name: "emphasis '*a **a ' mix", source: fill("*a **a ") },
    { name: "emphasis '_a' x10000", source: "_a".repeat(10_000) },
    { name: "emphasis 'a*' x10000", source: "a*".repeat(10_000) },
    { name: "emphasis '*_~' x6666", source: "*_~".repeat(6_666) },
    { name: "strike '~~a' x6666", source: "~~a".repeat(6_666) },
    // Links and images.
    { name: "links '[a](b) ' x2857", source: fill("[a](b) ") },
    { name: "links '[' x9000 + '](x)'", source: "[".repeat(9_000) + "a" + "](x)".repeat(2_000) },
    { name: "links '[]( ' x5000", source: fill("[]( ") },
    { name: "links '[a](<' x5000", source: fill("[a](<") },
    { name: "images '![' x10000", source: fill("![") },
    {
      name: "reference definitions + uses",
      source: (fill("[a]: /u\n", 10_000) + fill("[a] ", 10_000)).slice(0, MAX_SOURCE),
    },
    { name: "autolinks '<http://a>' x1818", source: fill("<http://a> ") },
    { name: "bare urls 'http://a.b ' x1818", source: fill("http://a.b ") },
    { name: "www. x5000", source: fill("www.") },
    { name: "emails 'a@b.' x5000", source: fill("a@b.") },
    // Tables: wide, and a small header with many short rows (cell amplification).
    {
      name: "table wide 4990 columns",
      source: "|a".repeat(4_990) + "|\n" + "|-".repeat(4_990) + "|\n",
    },
    {
      name: "table amplify 2000 cols x rows",
      source: ("|a".repeat(2_000) + "|\n" + "|-".repeat(2_000) + "|\n" + fill("a\n")).slice(
        0,
        MAX_SOURCE,
      ),
    },
    {
      name: "table 3 cols many rows",
      source: ("|a|b|c|\n|-|-|-|\n" + fill("|1|2|3|\n")).slice(0, MAX_SOURCE),
    },
    // Code.
    { name: "backticks ` x20000", source: "`".repeat(MAX_SOURCE) },
    { name: "backticks '`a' x10000", source: "`a".repeat(10_000) },
    { name: "backticks '``a`' x5000", source: fill("``a`") },
    { name: "fences '```\\n' x5000", source: fill("```\n") },
    // HTML-looking text.
    { name: "html '<a ' x6666", source: fill("<a ") },
    { name: "html '<!--' x5000", source: fill("<!--") },
    { name: "html '<div>' x4000", source: fill("<div>") },
    { name: "html '<a href=' x2500", source: fill("<a href=") },
    { name: "html script", source: fill("<script>alert(1)</script>") },
    // Entities, escapes, headings, breaks.
    { name: "entities '&#x' x6666", source: fill("&#x") },
    { name: "entities '&amp;' x4000", source: fill("&amp;") },
    { name: "backslashes x20000", source: "\\".repeat(MAX_SOURCE) },
    { name: "headings '# a\\n' x5000", source: fill("# a\n") },
    { name: "setext 'a\\n-\\n' x5000", source: fill("a\n-\n") },
    { name: "hard breaks 'a  \\n' x5000", source: fill("a  \n") },
    { name: "newlines x20000", source: "\n".repeat(MAX_SOURCE) },
    { name: "spaces + tab indents", source: fill(" \t") },
    { name: "ordinary 20 KB Markdown", source: ordinaryMarkdown() },
  ];
  for (const c of cases) {
    if (c.source.length > MAX_SOURCE) throw new Error(`${c.name}: ${c.source.length} characters`);
  }
  return cases;
}

/** A realistic 20,000-character comment: headings, lists, links, code, a table, quotes. */
export function ordinaryMarkdown(): string {
  const block = [
    "## Steps to reproduce",
    "",
    "1. Open **Outlook** and go to *File → Account settings*.",
    "2. Remove the profile `Exchange-01` and add it again.",
    "   - check the [VPN guide](https://intranet.example.com/vpn) first",
    "   - ~~restart~~ sign out and back in",
    "",
    "> The error says: `0x800CCC0E` (cannot connect). It started after the update.",
    "",
    "| Machine | OS | Result |",
    "| --- | :-: | --: |",
    "| LT-0042 | Windows 11 | fails |",
    "| LT-0107 | macOS 14 | works |",
    "",
    "```powershell",
    "Get-NetAdapter | Where-Object Status -eq 'Up'",
    "Test-NetConnection mail.example.com -Port 443",
    "```",
    "",
    "Contact me at jane.doe@example.com or see https://status.example.com for outages.",
    "",
  ].join("\n");
  return fill(block + "\n");
}

/** Fragments from which the generated cases are built: Markdown's special characters. */
const FRAGMENTS = [
  "*",
  "_",
  "~",
  "`",
  "[",
  "]",
  "(",
  ")",
  "<",
  ">",
  "!",
  "|",
  "#",
  "-",
  "+",
  "\\",
  "&",
  "\n",
  " ",
  "a",
  "1.",
  "**",
  "~~",
  "](",
  "[a]",
  "<a",
  "-->",
  "|-",
  "\n>",
  "\n- ",
  "http://",
  "www.",
];

/**
 * Generated worst cases: every pair of fragments repeated to the limit (the shape that makes
 * backtracking parsers quadratic), plus random fragment soups and random units repeated.
 */
export function generatedCases(options: { pairs?: boolean; random?: number } = {}): MarkdownCase[] {
  const out: MarkdownCase[] = [];
  if (options.pairs ?? true) {
    for (const a of FRAGMENTS) {
      for (const b of FRAGMENTS) {
        out.push({ name: `pair ${JSON.stringify(a + b)}`, source: fill(a + b) });
      }
    }
  }
  const random = prng(0x7e55e4a);
  const pick = () => FRAGMENTS[Math.floor(random() * FRAGMENTS.length)]!;
  for (let i = 0; i < (options.random ?? 40); i++) {
    if (i % 2 === 0) {
      let unit = "";
      const n = 2 + Math.floor(random() * 6);
      for (let j = 0; j < n; j++) unit += pick();
      out.push({ name: `random unit ${JSON.stringify(unit)}`, source: fill(unit) });
    } else {
      let soup = "";
      while (soup.length < MAX_SOURCE - 8) soup += pick();
      out.push({ name: `random soup #${i}`, source: soup.slice(0, MAX_SOURCE) });
    }
  }
  return out;
}

/** The XSS vectors of the T1 suite, one Markdown source each and all together. */
export function xssCases(): MarkdownCase[] {
  const file = fileURLToPath(new URL("./corpora/xss-markdown-vectors.txt", import.meta.url));
  const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
  return [
    ...lines.map((line, i) => ({ name: `xss vector ${i + 1}`, source: line })),
    { name: "xss vectors, one paragraph each", source: lines.join("\n\n") },
  ];
}
