import { describe, expect, it } from "vitest";
import { renderMarkdown } from "@/lib/markdown/render";
import {
  PLACEHOLDERS,
  fillPlaceholders,
  firstNameOf,
  markdownText,
  type PlaceholderContext,
} from "@/lib/canned/placeholders";
import {
  filterCanned,
  slashQuery,
  slashTrigger,
  spliceText,
} from "@/components/tickets/canned-text";

const ctx: PlaceholderContext = {
  requesterName: "Ada Lovelace",
  ticketNumber: 1042,
  ticketTitle: "Printer on 3rd floor jams",
  agentName: "Grace Hopper",
};

describe("fillPlaceholders", () => {
  it("fills every placeholder, with whitespace inside the braces tolerated", () => {
    const body =
      "Hi {{requester.firstName}} ({{ requester.name }}), about {{ticket.number}} " +
      "“{{ticket.title}}”: done. {{agent.name}} / {{\tagent.firstName\t}}";
    expect(fillPlaceholders(body, ctx)).toBe(
      "Hi Ada (Ada Lovelace), about #1042 “Printer on 3rd floor jams”: done. Grace Hopper / Grace",
    );
  });

  it("documents exactly the placeholders it fills", () => {
    const body = Object.keys(PLACEHOLDERS)
      .map((k) => `{{${k}}}`)
      .join("|");
    expect(fillPlaceholders(body, ctx)).not.toContain("{{");
  });

  it("leaves unknown or malformed placeholders as written", () => {
    const body = "{{requester.email}} {{ticket}} {{ requester.firstName } {{Agent.Name}} {{}}";
    expect(fillPlaceholders(body, ctx)).toBe(body);
    expect(fillPlaceholders("{{constructor.name}} {{__proto__.x}}", ctx)).toBe(
      "{{constructor.name}} {{__proto__.x}}",
    );
  });

  it("never expands a placeholder that arrives inside a value", () => {
    const hostile = { ...ctx, requesterName: "{{agent.name}} {{ticket.number}}" };
    expect(fillPlaceholders("Hi {{requester.name}}!", hostile)).toBe(
      "Hi {{agent.name}} {{ticket.number}}!",
    );
    const braces = { ...ctx, requesterName: "}}{{", ticketTitle: "{{requester.name" };
    expect(fillPlaceholders("{{requester.firstName}}{{ticket.title}}}}", braces)).toBe(
      "}}{{{{requester.name}}",
    );
  });

  it("keeps Markdown and HTML in a name or a title as text, once rendered", () => {
    const hostile = {
      ...ctx,
      requesterName: "<img src=x onerror=alert(1)> **Bob** _x_",
      ticketTitle: "[Reset your password](https://evil.example) `code` ~~gone~~ &amp;",
    };
    const filled = fillPlaceholders("Hi {{requester.name}}, re: {{ticket.title}}", hostile);
    const html = renderMarkdown(filled).html;
    expect(html).not.toMatch(/<img|<strong|<em|<code|<s>|<del/);
    // A bare URL may still be linked (as in any reply), but only ever as itself: no link text
    // chosen by the requester.
    for (const [, href, text] of html.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)) {
      expect(text).toBe(href);
    }
    const text = html
      .replace(/<[^>]+>/g, "")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">");
    expect(text).toContain("<img src=x onerror=alert(1)> **Bob** _x_");
    expect(text.replace(/&amp;/g, "&")).toContain(
      "[Reset your password](https://evil.example) `code` ~~gone~~ &amp;",
    );
  });

  it("cannot start a block of its own: line breaks folded, block syntax escaped", () => {
    for (const title of ["# Heading", "- item", "1. item", "> quote", "---", "===", "+ x"]) {
      const filled = fillPlaceholders("Hi,\n{{ticket.title}}", { ...ctx, ticketTitle: title });
      const html = renderMarkdown(filled).html;
      expect(html, title).not.toMatch(/<h\d|<ul|<ol|<blockquote|<hr/);
      expect(html.replace(/<[^>]+>/g, "").replace(/&gt;/g, ">"), title).toContain(title);
    }
    const folded = fillPlaceholders("{{ticket.title}}", {
      ...ctx,
      ticketTitle: "line one\n\n# two\r\n- three",
    });
    expect(folded).not.toMatch(/\n/);
  });

  it("takes the first word as the first name", () => {
    expect(firstNameOf("  Ada   Lovelace ")).toBe("Ada");
    expect(firstNameOf("Prince")).toBe("Prince");
    expect(markdownText("Jean-Luc O'Neil #1")).toBe("Jean-Luc O'Neil #1");
  });
});

describe("the picker's text helpers", () => {
  it("opens on / only at the start of an empty line", () => {
    expect(slashTrigger("/", 1)).toBe(0);
    expect(slashTrigger("Hello\n/", 7)).toBe(6);
    expect(slashTrigger("Hello\n/\nmore", 7)).toBe(6);
    expect(slashTrigger("a/", 2)).toBeNull();
    expect(slashTrigger("see /usr/bin", 5)).toBeNull();
    expect(slashTrigger("/x", 1)).toBeNull(); // text after it on the line
    expect(slashTrigger("", 0)).toBeNull();
  });

  it("follows the query until the / goes, the caret leaves or a line ends", () => {
    expect(slashQuery("Hi\n/pass", 3, 8)).toBe("pass");
    expect(slashQuery("Hi\n/pass word", 3, 13)).toBe("pass word");
    expect(slashQuery("Hi\npass", 3, 7)).toBeNull();
    expect(slashQuery("Hi\n/pass", 3, 3)).toBeNull();
    expect(slashQuery("/a\nb", 0, 4)).toBeNull();
  });

  it("filters by every word, title matches first, title order kept", () => {
    const options = [
      { id: "1", title: "Closing", body: "We reset your password", shared: true },
      { id: "2", title: "Password reset", body: "Follow the link", shared: true },
      { id: "3", title: "VPN: password expired", body: "Reset it", shared: false },
      { id: "4", title: "Welcome", body: "Hello", shared: false },
    ];
    expect(filterCanned(options, "").map((o) => o.id)).toEqual(["1", "2", "3", "4"]);
    expect(filterCanned(options, "PASS").map((o) => o.id)).toEqual(["2", "3", "1"]);
    expect(filterCanned(options, "reset password").map((o) => o.id)).toEqual(["2", "1", "3"]);
    expect(filterCanned(options, "nothing")).toEqual([]);
  });

  it("replaces the /query with the text and puts the caret after it", () => {
    expect(spliceText("Hi\n/pass\nBye", 3, 8, "TEXT")).toEqual({
      value: "Hi\nTEXT\nBye",
      caret: 7,
    });
  });
});
