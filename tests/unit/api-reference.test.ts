// The REST API reference page (/developers/api) is rendered from the OpenAPI document: every
// operation appears with its method, path and scope, and the example curl names the origin.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ApiReference, describeType } from "@/components/api-reference/api-reference";
import { API_OPERATIONS } from "@/lib/api/operations";

describe("API reference", () => {
  const html = renderToStaticMarkup(
    createElement(ApiReference, { origin: "https://helpdesk.example.com" }),
  );

  it("lists every operation with its path and scope", () => {
    for (const [id, op] of Object.entries(API_OPERATIONS)) {
      expect(html, id).toContain(`id="${id}"`);
      expect(html, id).toContain(`/api/v1${op.path}`);
      if (op.scope) expect(html, id).toContain(`<code>${op.scope}</code>`);
    }
    expect(html).toContain("curl -H &quot;Authorization: Bearer tsr_pat_…&quot;");
    expect(html).toContain("https://helpdesk.example.com/api/v1/tickets");
  });

  it("names body fields with their limits", () => {
    // POST /tickets: the form's own title limits.
    expect(html).toMatch(/<code>title<\/code>.*?string \(3–200 characters\).*?required/s);
    expect(describeType({ type: "array", items: { type: "string", enum: ["A", "B"] } })).toBe(
      'array of "A" | "B"',
    );
  });
});
