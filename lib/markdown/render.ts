// User-written Markdown (ticket descriptions, replies, notes) to sanitised HTML, once, when the
// text is written (issue 10 §1, ADR 015). Pages only output the stored HTML; nothing parses
// Markdown while a ticket is viewed. Client-free: used by the services, the re-render script and
// the on-read fallback for rows rendered by an older version.
//
// Bounded cost, whatever the text:
// - markdown-it (chosen on measured cost, docs/benchmarks.md): no recursion on user nesting,
//   measured linear on the adversarial corpus (tests/security/markdown-corpus.ts); its table
//   rule caps auto-completed cells (no output amplification).
// - A nesting limit (MAX_NESTING): markdown-it would silently drop what lies deeper, so a
//   source that reaches it is shown as plain text instead (nothing a user wrote disappears).
// - A budget: if rendering takes longer than RENDER_BUDGET_MS or the HTML grows past
//   MAX_HTML_LENGTH, or anything throws, the comment falls back to escaped plain text.
// Safe output, twice over: markdown-it escapes raw HTML (html: false) and validates links with
// safeHref(); then sanitize-html keeps only an allowlist of tags and attributes, and links only
// with http(s)/mailto/same-site targets and rel="noopener noreferrer nofollow".
import MarkdownIt, { type MarkdownIt as MarkdownItInstance } from "markdown-it";
import sanitizeHtml from "sanitize-html";
import { EXTERNAL_LINK_REL, safeHref } from "@/lib/markdown/links";

/**
 * Bump when the output of renderMarkdown changes (options, rules, allowlist): rows stored with
 * an older version are re-rendered on read and by `npm run markdown:rerender`.
 */
export const MARKDOWN_RENDERER_VERSION = 1;

/** Block nesting (quotes, lists) a source may use before it is shown as plain text. */
export const MAX_NESTING = 20;
/**
 * Wall-clock budget of one render; over it, the plain-text fallback is stored. A tripwire for
 * inputs the corpus does not cover: the measured worst case is far below it on a quiet machine
 * (docs/benchmarks.md), and it leaves room for a busy one (a fallback is stored for good).
 */
export const RENDER_BUDGET_MS = 250;
/** Largest HTML kept for one source (20,000 characters of source rarely pass 100 KB). */
export const MAX_HTML_LENGTH = 200_000;
/**
 * GFM tables fill every row up to the header's column count: 2,000 header columns and 5,000
 * one-character rows would be millions of cells from 20,000 characters. A table is parsed only
 * up to this many cells (columns x rows) and at most MAX_TABLE_COLUMNS wide; a bigger one makes
 * the whole source fall back to plain text.
 */
export const MAX_TABLE_CELLS = 4_000;
export const MAX_TABLE_COLUMNS = 64;
/**
 * Tokens of one source; past either, plain text. Checked while parsing, so an adversarial
 * source stops early instead of after its full cost. The ordinary 20 KB comment of the corpus
 * has 2,400 block and 1,376 inline tokens. Past them: over 2,000 headings (3 tokens each), a table
 * of 3 columns and 550 rows (11 tokens a row), over 5,000 inline elements.
 */
export const MAX_BLOCK_TOKENS = 6_000;
export const MAX_INLINE_TOKENS = 5_000;

export type RenderedMarkdown = {
  html: string;
  version: number;
  /** Why the plain-text fallback was used, or null when the Markdown was rendered. */
  fallback: null | "nesting" | "budget" | "size" | "error";
};

/** Thrown inside the parser when a size limit is reached; caught by renderMarkdown. */
class TooLarge extends Error {}

const HEADING_SHIFT: Record<string, string> = {
  h1: "h3",
  h2: "h4",
  h3: "h5",
  h4: "h6",
  h5: "h6",
  h6: "h6",
};
const ALIGN_CLASS = /text-align:(left|center|right)/;

function createParser(): MarkdownItInstance {
  const md = new MarkdownIt("default", {
    html: false, // raw HTML is text
    linkify: true, // GFM-style bare URLs
    typographer: false,
    breaks: false,
    maxNesting: MAX_NESTING,
  });
  // No images: a tracking pixel in a ticket reveals who read it and when.
  md.disable("image");
  // Bare domains ("readme.md") are not links; http(s)://, www. and mailto-style ones are.
  md.linkify.set({ fuzzyLink: false, fuzzyEmail: true });
  // One link policy for everything: the same function the old renderer used.
  md.validateLink = (url) => safeHref(url) !== null;

  // Tables: bound the cells before markdown-it builds them (see MAX_TABLE_CELLS).
  const tableRule = md.block.ruler.__rules__.find((r) => r.name === "table")!;
  const table = tableRule.fn;
  md.block.ruler.at(
    "table",
    (state, startLine, endLine, silent) => {
      // The header line's pipes bound its column count (an upper bound: escaped pipes count too).
      const header = state.src.slice(state.bMarks[startLine]!, state.eMarks[startLine]!);
      const columns = Math.max(1, (header.match(/\|/g)?.length ?? 0) + 1);
      const rows = Math.floor(MAX_TABLE_CELLS / columns);
      const bounded = Math.min(endLine, startLine + 2 + rows);
      const ok = table(state, startLine, bounded, silent);
      if (ok && !silent) {
        if (columns > MAX_TABLE_COLUMNS + 1) throw new TooLarge("table columns");
        // It ran into the bound: the table goes on past MAX_TABLE_CELLS.
        if (bounded < endLine && state.line >= bounded) throw new TooLarge("table cells");
      }
      return ok;
    },
    { alt: [...tableRule.alt] },
  );
  // Token limits: a rule in front of every other, which only counts. The inline count runs over
  // the whole source (env is shared by every paragraph, heading and cell of one parse).
  const firstBlockRule = md.block.ruler.__rules__[0]!;
  md.block.ruler.before(firstBlockRule.name, "tessera_block_limit", (state) => {
    if (state.tokens.length > MAX_BLOCK_TOKENS) throw new TooLarge("block tokens");
    return false;
  });
  const firstInlineRule = md.inline.ruler.__rules__[0]!;
  md.inline.ruler.before(firstInlineRule.name, "tessera_inline_limit", (state) => {
    const env = state.env as { inlineTokens?: number };
    if ((env.inlineTokens ?? 0) + state.tokens.length > MAX_INLINE_TOKENS)
      throw new TooLarge("inline tokens");
    return false;
  });
  md.inline.ruler2.push("tessera_inline_count", (state) => {
    const env = state.env as { inlineTokens?: number };
    env.inlineTokens = (env.inlineTokens ?? 0) + state.tokens.length;
    return false;
  });

  // Headings inside a ticket sit below the page's own h1/h2.
  md.core.ruler.push("tessera_headings", (state) => {
    for (const token of state.tokens) {
      if (token.type === "heading_open" || token.type === "heading_close") {
        token.tag = HEADING_SHIFT[token.tag] ?? "h6";
      }
    }
  });
  // Table alignment as a class (no style attributes to sanitise).
  for (const rule of ["th_open", "td_open"] as const) {
    md.renderer.rules[rule] = (tokens, idx, options, _env, self) => {
      const token = tokens[idx]!;
      const style = String(token.attrGet("style") ?? "");
      if (style) {
        const align = ALIGN_CLASS.exec(style)?.[1];
        token.attrs = align ? [["class", `md-align-${align}`]] : null;
      }
      return self.renderToken(tokens, idx, options);
    };
  }
  // External links open in a new tab without opener or referrer (sanitize also enforces rel).
  md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
    const token = tokens[idx]!;
    const target = safeHref(String(token.attrGet("href") ?? ""));
    if (target?.external) {
      token.attrSet("rel", EXTERNAL_LINK_REL);
      token.attrSet("target", "_blank");
    }
    return self.renderToken(tokens, idx, options);
  };
  return md;
}

const ALIGN_CLASSES = ["md-align-left", "md-align-center", "md-align-right"];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "hr",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "s",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "span",
  ],
  allowedAttributes: {
    a: ["href", "rel", "target"],
    ol: ["start"],
    th: ["class"],
    td: ["class"],
    p: ["class"],
  },
  allowedClasses: { th: ALIGN_CLASSES, td: ALIGN_CLASSES, p: [] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "escape",
  transformTags: {
    a: (tagName, given) => {
      const target = given.href ? safeHref(given.href) : null;
      if (!target) return { tagName: "span", attribs: {} as Record<string, string> };
      const attribs: Record<string, string> = target.external
        ? { href: target.href, rel: EXTERNAL_LINK_REL, target: "_blank" }
        : { href: target.href };
      return { tagName, attribs };
    },
  },
};

let parser: MarkdownItInstance | null = null;

/** The parser, created and warmed up once per process (outside any render's budget). */
function getParser(): MarkdownItInstance {
  if (parser) return parser;
  const md = createParser();
  // The first use compiles linkify's and sanitize-html's patterns and JIT-compiles the rules:
  // on a busy machine that alone can pass the budget, and a fallback is stored for good.
  const sample =
    "# a\n\n**b** _c_ ~~d~~ `e` [f](https://g.example) www.h.example i@j.example\n\n" +
    "> k\n\n- l\n\n1. m\n\n| n | o |\n|:-|-:|\n| p | q |\n\n```\nr\n```\n";
  sanitizeHtml(md.render(sample), SANITIZE);
  parser = md;
  return md;
}

/** Escaped plain text, line breaks kept (the page styles .md-plain with pre-wrap). */
export function plainTextHtml(source: string): string {
  return `<p class="md-plain">${escapeHtml(source)}</p>`;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** True when some block opens at the nesting limit: markdown-it drops what lies below it. */
function reachesNestingLimit(tokens: { nesting: number; level: number }[]): boolean {
  for (const token of tokens) {
    if (token.nesting === 1 && token.level >= MAX_NESTING - 1) return true;
  }
  return false;
}

/**
 * Sanitised HTML for one description or comment. Never throws; never takes much longer than
 * the budget on any measured input (see the ADR); falls back to escaped plain text.
 */
export function renderMarkdown(
  source: string,
  budget: { ms?: number; maxHtml?: number; now?: () => number } = {},
): RenderedMarkdown {
  const limitMs = budget.ms ?? RENDER_BUDGET_MS;
  const maxHtml = budget.maxHtml ?? MAX_HTML_LENGTH;
  const now = budget.now ?? (() => performance.now());
  const fallback = (why: NonNullable<RenderedMarkdown["fallback"]>): RenderedMarkdown => ({
    html: source.trim() === "" ? "" : plainTextHtml(source),
    version: MARKDOWN_RENDERER_VERSION,
    fallback: why,
  });
  if (source.trim() === "") return { html: "", version: MARKDOWN_RENDERER_VERSION, fallback: null };
  try {
    const md = getParser(); // once per process, outside the budget
    const started = now();
    const env = {};
    const tokens = md.parse(source, env);
    if (reachesNestingLimit(tokens)) return fallback("nesting");
    if (now() - started > limitMs) return fallback("budget");
    const raw = md.renderer.render(tokens, md.options, env);
    if (raw.length > maxHtml) return fallback("size");
    if (now() - started > limitMs) return fallback("budget");
    const html = sanitizeHtml(raw, SANITIZE);
    if (now() - started > limitMs) return fallback("budget");
    return { html, version: MARKDOWN_RENDERER_VERSION, fallback: null };
  } catch (error) {
    return fallback(error instanceof TooLarge ? "size" : "error");
  }
}

/** The columns to store beside a source when it is written. */
export function renderedColumns(source: string): { html: string; version: number } {
  const { html, version } = renderMarkdown(source);
  return { html, version };
}

/**
 * The HTML to output for a stored source: the stored rendering when it is current, else a fresh
 * one (rows written before the column existed or by an older renderer version; same bounds).
 */
export function storedHtml(source: string, html: string | null, version: number | null): string {
  if (html !== null && version === MARKDOWN_RENDERER_VERSION) return html;
  return renderMarkdown(source).html;
}
