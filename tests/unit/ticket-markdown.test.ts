import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown, safeHref } from "@/lib/tickets/markdown";

describe("ticket markdown", () => {
  it("keeps only safe link targets", () => {
    expect(safeHref("https://example.com/a?b=c")).toEqual({
      href: "https://example.com/a?b=c",
      external: true,
    });
    expect(safeHref("/tickets/12")).toEqual({ href: "/tickets/12", external: false });
    expect(safeHref("mailto:help@example.com")).toMatchObject({ external: true });
    for (const bad of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "java\tscript:alert(1)",
      " javascript:alert(1)",
      "data:text/html;base64,PHNjcmlwdD4=",
      "vbscript:msgbox",
      "//evil.example/x",
      "file:///etc/passwd",
    ]) {
      expect(safeHref(bad)).toBeNull();
    }
  });

  it("turns a refused link into its text, and raw HTML stays text", () => {
    expect(parseInline("[click](javascript:alert(1))")).toEqual([{ type: "text", text: "click" }]);
    const html = parseMarkdown('<script>alert(1)</script> <img src=x onerror="y">');
    expect(html).toEqual([
      {
        type: "paragraph",
        children: [{ type: "text", text: '<script>alert(1)</script> <img src=x onerror="y">' }],
      },
    ]);
  });

  it("parses the supported subset", () => {
    const blocks = parseMarkdown(
      "# Title\n\nSome **bold** and *em* and `code` see [docs](https://x.test/d).\n\n- one\n- two\n\n1. a\n2. b\n\n> quoted\n\n```\n<b>raw</b>\n```\n\n---",
    );
    expect(blocks.map((b) => b.type)).toEqual([
      "heading",
      "paragraph",
      "list",
      "list",
      "quote",
      "code",
      "rule",
    ]);
    expect(blocks[1]).toMatchObject({
      children: [
        { type: "text", text: "Some " },
        { type: "strong", children: [{ type: "text", text: "bold" }] },
        { type: "text", text: " and " },
        { type: "em", children: [{ type: "text", text: "em" }] },
        { type: "text", text: " and " },
        { type: "code", text: "code" },
        { type: "text", text: " see " },
        { type: "link", href: "https://x.test/d", external: true },
        { type: "text", text: "." },
      ],
    });
    expect(blocks[5]).toEqual({ type: "code", text: "<b>raw</b>" });
    expect(parseInline("go to https://example.com/path.")).toEqual([
      { type: "text", text: "go to " },
      {
        type: "link",
        href: "https://example.com/path",
        external: true,
        children: [{ type: "text", text: "https://example.com/path" }],
      },
      { type: "text", text: "." },
    ]);
  });

  it("stays linear on hostile input", () => {
    const started = performance.now();
    parseMarkdown("**a _b [c ".repeat(2_000));
    parseMarkdown("*".repeat(20_000));
    parseMarkdown("> ".repeat(5_000));
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
