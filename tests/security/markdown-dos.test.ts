// Issue 10 §1: user-written Markdown must not stall or crash the server, and what it renders to
// must be safe. Every case of the adversarial corpus (tests/security/markdown-corpus.ts: the
// issue's three, deep lists and quotes, nested emphasis, links, tables, backticks, HTML-looking
// text, generated worst cases) goes through renderMarkdown, the renderer used when a
// description, reply or note is written: none may throw, every output must pass the allowlist
// below, and the plain-text fallback must engage on nesting, size and time overruns.
import { describe, expect, it } from "vitest";
import {
  MARKDOWN_RENDERER_VERSION,
  MAX_NESTING,
  plainTextHtml,
  renderMarkdown,
} from "@/lib/markdown/render";
import { EXTERNAL_LINK_REL } from "@/lib/tickets/markdown";
import {
  generatedCases,
  namedCases,
  ordinaryMarkdown,
  xssCases,
  type MarkdownCase,
} from "@/tests/security/markdown-corpus";

const ALLOWED: Record<string, string[]> = {
  p: ["class"],
  br: [],
  hr: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  strong: [],
  em: [],
  s: [],
  del: [],
  code: [],
  pre: [],
  blockquote: [],
  ul: [],
  ol: ["start"],
  li: [],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ["class"],
  td: ["class"],
  a: ["href", "rel", "target"],
  span: [],
};

/** Fails the test unless `html` holds only allowlisted tags, attributes and link targets. */
function assertSafe(html: string, name: string): void {
  // Everything that looks like a tag; text "<" is always escaped, so any "<" starts a tag.
  for (const m of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
    const tag = m[1]!.toLowerCase();
    expect(Object.keys(ALLOWED), `${name}: <${tag}>`).toContain(tag);
    const attrs = [...m[2]!.matchAll(/\s([^\s=]+)(?:="([^"]*)")?/g)];
    for (const [, attr, value] of attrs) {
      if (attr === "/") continue; // <br />, <hr />
      expect(ALLOWED[tag], `${name}: <${tag} ${attr}>`).toContain(attr!.toLowerCase());
      if (attr === "href") {
        expect(value, `${name}: href`).toMatch(/^(https?:\/\/[^/]|mailto:|\/(?!\/)|#)/i);
      }
      if (attr === "rel") expect(value).toBe(EXTERNAL_LINK_REL);
    }
    if (tag === "a" && /href="(https?|mailto):/i.test(m[2]!)) {
      expect(m[2], `${name}: external link without rel`).toContain(`rel="${EXTERNAL_LINK_REL}"`);
    }
  }
  // No stray "<" outside tags (would mean an unescaped tag the regex above did not see).
  expect(html.replace(/<\/?[a-zA-Z][a-zA-Z0-9]*[^>]*>/g, ""), name).not.toMatch(/</);
  // Inside tags: no event handler and no script-capable scheme (as text they are harmless).
  for (const [tag] of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    expect(tag, name).not.toMatch(/\son[a-z]+=|javascript:|vbscript:|data:/i);
  }
}

function check(cases: MarkdownCase[]) {
  for (const c of cases) {
    let result: ReturnType<typeof renderMarkdown> | undefined;
    // The budget is not under test here (the machine may be busy): only throwing and safety.
    expect(() => (result = renderMarkdown(c.source, { ms: 60_000 })), c.name).not.toThrow();
    expect(result!.version).toBe(MARKDOWN_RENDERER_VERSION);
    assertSafe(result!.html, c.name);
  }
}

describe("the adversarial Markdown corpus", () => {
  it("has the issue's three inputs and stays within the 20,000-character limit", () => {
    const names = namedCases().map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining(["issue: *a x10000", "issue: ~a x10000", "issue: > x3000 + ' x'"]),
    );
    for (const c of [...namedCases(), ...generatedCases()]) {
      expect(c.source.length, c.name).toBeLessThanOrEqual(20_000);
    }
  });

  it("renders every named case without throwing, to allowlisted HTML", { timeout: 120_000 }, () => {
    check(namedCases());
  });

  it("renders every XSS vector to allowlisted HTML (no script, handler or unsafe link)", () => {
    check(xssCases());
    const html = renderMarkdown(
      '[x](javascript:alert(1)) <img src=x onerror=alert(1)> [y](https://ok.example) <a href="/x">z</a>',
    ).html;
    expect(html).not.toContain("<img");
    expect(html).toContain(
      `<a href="https://ok.example" rel="${EXTERNAL_LINK_REL}" target="_blank">y</a>`,
    );
    expect(html).toContain("&lt;a href=");
  });

  it(
    "renders the generated worst cases (pairs, random units and soups) without throwing",
    {
      timeout: 600_000,
    },
    () => {
      check(generatedCases());
    },
  );
});

describe("limits and the plain-text fallback", () => {
  it("shows a source nested past the limit as plain text, nothing dropped (issue's '>' x3000)", () => {
    const source = ">".repeat(3000) + " x";
    const r = renderMarkdown(source);
    expect(r.fallback).toBe("nesting");
    expect(r.html).toBe(plainTextHtml(source));
    expect(r.html).toContain("&gt;&gt;&gt; x");
    // Within the limit, quotes and lists render.
    const nested = "> ".repeat(MAX_NESTING - 5) + "deep";
    expect(renderMarkdown(nested).fallback).toBeNull();
    expect(renderMarkdown(nested).html).toContain("<blockquote>");
  });

  it("falls back on a table that would amplify into too many cells", () => {
    const source = (
      "|a".repeat(2_000) +
      "|\n" +
      "|-".repeat(2_000) +
      "|\n" +
      "a\n".repeat(5_000)
    ).slice(0, 20_000);
    expect(renderMarkdown(source).fallback).toBe("size");
    // An ordinary table renders.
    expect(renderMarkdown("| a | b |\n|:-|-:|\n| 1 | 2 |").html).toContain(
      '<td class="md-align-right">2</td>',
    );
  });

  it("stops parsing at the token limits: the issue's '*a' x10000, 5,000 headings", () => {
    for (const source of ["*a".repeat(10_000), "# a\n".repeat(5_000), "a\n-\n".repeat(5_000)]) {
      const r = renderMarkdown(source, { ms: 60_000 });
      expect(r.fallback, source.slice(0, 8)).toBe("size");
      expect(r.html).toBe(plainTextHtml(source));
    }
    // The inline limit counts the whole source, not one paragraph at a time: five paragraphs of
    // 1,200 inline tokens each pass it together, three stay within it.
    const paragraph = "*a".repeat(600);
    expect(renderMarkdown(Array(5).fill(paragraph).join("\n\n"), { ms: 60_000 }).fallback).toBe(
      "size",
    );
    expect(renderMarkdown(Array(3).fill(paragraph).join("\n\n"), { ms: 60_000 }).fallback).toBe(
      null,
    );
    // Well within both: the ordinary 20 KB comment (2,400 block, 1,376 inline tokens).
    expect(renderMarkdown(ordinaryMarkdown(), { ms: 60_000 }).fallback).toBeNull();
  });

  it("falls back when the HTML would outgrow its size limit", () => {
    const r = renderMarkdown(ordinaryMarkdown(), { maxHtml: 1_000 });
    expect(r.fallback).toBe("size");
    expect(r.html.startsWith('<p class="md-plain">')).toBe(true);
  });

  it("falls back when the time budget is exceeded", () => {
    // A clock that jumps 1 s per reading: every budget check sees the overrun.
    let t = 0;
    const r = renderMarkdown("**bold** and *em*", { now: () => (t += 1_000) });
    expect(r.fallback).toBe("budget");
    expect(r.html).toBe(plainTextHtml("**bold** and *em*"));
    // The same text within budget renders.
    expect(renderMarkdown("**bold** and *em*").html).toContain("<strong>bold</strong>");
  });

  it("escapes the fallback's text", () => {
    expect(plainTextHtml(`<script>"x" & 'y'</script>`)).toBe(
      '<p class="md-plain">&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;</p>',
    );
  });

  it("renders an empty or blank source to nothing", () => {
    expect(renderMarkdown("  \n\t ").html).toBe("");
  });
});
