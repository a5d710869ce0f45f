import { describe, expect, it } from "vitest";
import { safeHref } from "@/lib/tickets/markdown";

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
});
