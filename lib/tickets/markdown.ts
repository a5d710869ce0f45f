// A small, safe Markdown subset for ticket descriptions and comments, parsed into a tree that a
// component renders as React elements (never HTML strings, never dangerouslySetInnerHTML).
// Raw HTML is not special: `<script>` is just text. Links keep only http(s), mailto and
// same-site relative targets; anything else (javascript:, data:, vbscript:, ...) becomes text.
// Client-safe, no dependencies. Supported: paragraphs, # headings, ``` fences, > quotes,
// - / * / 1. lists, --- rules; inline `code`, **strong**, *em* / _em_, [text](url), bare URLs.

export type Inline =
  | { type: "text"; text: string }
  | { type: "code"; text: string }
  | { type: "strong"; children: Inline[] }
  | { type: "em"; children: Inline[] }
  | { type: "link"; href: string; external: boolean; children: Inline[] };

export type Block =
  | { type: "paragraph"; children: Inline[] }
  | { type: "heading"; level: 1 | 2 | 3 | 4 | 5 | 6; children: Inline[] }
  | { type: "code"; text: string }
  | { type: "quote"; children: Block[] }
  | { type: "list"; ordered: boolean; items: Inline[][] }
  | { type: "rule" };

/** rel for external links (issue 3: noopener noreferrer nofollow). */
export const EXTERNAL_LINK_REL = "noopener noreferrer nofollow";

/** The href to render, or null when the target is not allowed. */
export function safeHref(raw: string): { href: string; external: boolean } | null {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
  const href = raw.trim().replace(/[\u0000-\u001F\u007F\s]+/g, "");
  if (href === "" || href.length > 2048) return null;
  if (/^https?:\/\/[^/]/i.test(href)) return { href, external: true };
  if (/^mailto:[^@\s]+@[^@\s]+$/i.test(href)) return { href, external: true };
  // Same-site paths and anchors; "//host" would be protocol-relative (external, scheme-less).
  if (/^\/(?!\/)/.test(href) || href.startsWith("#")) return { href, external: false };
  return null;
}

const MAX_DEPTH = 8;
// Inline spans are bounded (one line, 1,000 characters) so that unmatched markers in a 20,000
// character text cost linear time, not quadratic.

export function parseInline(text: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let buffer = "";
  const flush = () => {
    if (buffer) out.push({ type: "text", text: buffer });
    buffer = "";
  };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    let m: RegExpMatchArray | null;
    if ((m = rest.match(/^`([^`]+)`/))) {
      flush();
      out.push({ type: "code", text: m[1]! });
    } else if (depth < MAX_DEPTH && (m = rest.match(/^\*\*(?=\S)([^\n]{0,1000}?\S)\*\*/))) {
      flush();
      out.push({ type: "strong", children: parseInline(m[1]!, depth + 1) });
    } else if (
      depth < MAX_DEPTH &&
      (m = rest.match(/^([*_])(?=\S)([^\n]{0,1000}?\S)\1(?![*_\w])/))
    ) {
      flush();
      out.push({ type: "em", children: parseInline(m[2]!, depth + 1) });
    } else if (
      depth < MAX_DEPTH &&
      (m = rest.match(/^\[([^\]\n]{1,1000})\]\(([^()\s]*(?:\([^()\s]*\))?[^()\s]*)\)/))
    ) {
      const target = safeHref(m[2]!);
      flush();
      const children = parseInline(m[1]!, depth + 1);
      // A refused target keeps the words and drops the link.
      out.push(target ? { type: "link", ...target, children } : { type: "text", text: m[1]! });
    } else if (
      (m = rest.match(/^https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"]/i)) &&
      !/\w$/.test(buffer)
    ) {
      flush();
      out.push({
        type: "link",
        href: m[0],
        external: true,
        children: [{ type: "text", text: m[0] }],
      });
    } else {
      buffer += text[i];
      i += 1;
      continue;
    }
    i += m[0].length;
  }
  flush();
  return out;
}

const LIST_ITEM = /^\s{0,3}(?:([-*+])|(\d{1,9})[.)])\s+(.*)$/;

export function parseMarkdown(source: string, depth = 0): Block[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === "") {
      i += 1;
      continue;
    }
    const fence = line.match(/^\s{0,3}(```|~~~)/);
    if (fence) {
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!))
        body.push(lines[i++]!);
      i += 1; // closing fence (or end of text)
      blocks.push({ type: "code", text: body.join("\n") });
      continue;
    }
    const heading = line.match(/^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/);
    if (heading) {
      const level = heading[1]!.length as 1 | 2 | 3 | 4 | 5 | 6;
      blocks.push({ type: "heading", level, children: parseInline(heading[2]!) });
      i += 1;
      continue;
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      blocks.push({ type: "rule" });
      i += 1;
      continue;
    }
    if (/^\s{0,3}>/.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && /^\s{0,3}>/.test(lines[i]!))
        quoted.push(lines[i++]!.replace(/^\s{0,3}> ?/, ""));
      const children =
        depth < MAX_DEPTH
          ? parseMarkdown(quoted.join("\n"), depth + 1)
          : [
              {
                type: "paragraph" as const,
                children: [{ type: "text" as const, text: quoted.join("\n") }],
              },
            ];
      blocks.push({ type: "quote", children });
      continue;
    }
    const item = line.match(LIST_ITEM);
    if (item) {
      const ordered = item[2] !== undefined;
      const items: Inline[][] = [];
      while (i < lines.length) {
        const m = lines[i]!.match(LIST_ITEM);
        if (!m || (m[2] !== undefined) !== ordered) break;
        let text = m[3]!;
        i += 1;
        // Indented continuation lines belong to the item.
        while (i < lines.length && /^\s{2,}\S/.test(lines[i]!) && !LIST_ITEM.test(lines[i]!)) {
          text += `\n${lines[i++]!.trim()}`;
        }
        items.push(parseInline(text));
      }
      blocks.push({ type: "list", ordered, items });
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      lines[i]!.trim() !== "" &&
      !/^\s{0,3}(```|~~~|#{1,6}\s|>)/.test(lines[i]!) &&
      !LIST_ITEM.test(lines[i]!)
    ) {
      para.push(lines[i++]!);
    }
    if (para.length === 0) para.push(lines[i++]!); // never stall on a line no rule consumed
    blocks.push({ type: "paragraph", children: parseInline(para.join("\n")) });
  }
  return blocks;
}
