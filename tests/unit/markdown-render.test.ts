// The rendered output of <Markdown>: what reaches the browser, not just the parse tree. The
// Markdown is rendered as when it is written (renderMarkdown), then shown as the page shows it.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "@/components/tickets/markdown";
import { renderMarkdown } from "@/lib/markdown/render";

const render = (source: string) =>
  renderToStaticMarkup(createElement(Markdown, { html: renderMarkdown(source).html }));

describe("<Markdown>", () => {
  it("renders raw HTML as visible text, never as elements", () => {
    const html = render(
      '<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n<a href="javascript:alert(3)">x</a>',
    );
    expect(html).not.toMatch(/<script|<img|<a /i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    // Quotes in text need no escaping: sanitize-html writes them as they are.
    expect(html).toMatch(/&lt;img src=x onerror=(&quot;|")alert\(2\)(&quot;|")&gt;/);
  });

  it("drops javascript:, data:, vbscript: and other non-web link targets, keeping the words", () => {
    for (const target of [
      "javascript:alert(1)",
      "JAVASCRIPT:alert(1)",
      "java%0ascript:alert(1)",
      "data:text/html;base64,PHNjcmlwdD4=",
      "vbscript:msgbox(1)",
      "file:///etc/passwd",
      "//evil.example/x",
      "ftp://files.example/x",
    ]) {
      const html = render(`see [the docs](${target}) now`);
      expect(html, target).not.toContain("<a");
      expect(html, target).toContain("the docs");
    }
  });

  it("opens external links in a new tab without opener, referrer or ranking credit", () => {
    const html = render("[vendor](https://vendor.example/kb?id=1) or mail help@x");
    expect(html).toContain('href="https://vendor.example/kb?id=1"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
    expect(html).toContain('target="_blank"');
  });

  it("keeps same-site links in the tab and allows mailto", () => {
    const relative = render("[ticket](/tickets/12)");
    expect(relative).toContain('href="/tickets/12"');
    expect(relative).not.toContain("target=");
    expect(render("[mail](mailto:help@example.com)")).toContain('href="mailto:help@example.com"');
  });

  it("does not render images at all", () => {
    const html = render("![tracker](https://evil.example/pixel.png)");
    expect(html).not.toContain("<img");
  });

  it("renders the supported formatting", () => {
    const html = render("# Title\n\n**bold** *em* `code`\n\n- one\n- two\n\n```\n<b>x</b>\n```");
    expect(html).toContain("<h3");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<em>em</em>");
    expect(html).toMatch(/<code[^>]*>code<\/code>/);
    expect(html).toMatch(/<ul[^>]*>\s*<li[^>]*>one<\/li>/);
    expect(html).toContain("&lt;b&gt;x&lt;/b&gt;");
  });

  it("renders nothing for an empty text", () => {
    expect(render("   ")).toBe("");
  });
});

describe("<Markdown> with GitHub-flavoured extras", () => {
  it("links bare URLs through the same policy and renders tables", () => {
    const html = render(
      "see https://status.example/incident and\n\n| a | b |\n|---|---|\n| 1 | 2 |",
    );
    expect(html).toContain('href="https://status.example/incident"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
    expect(html).toMatch(/<table[^>]*>/);
  });
});
