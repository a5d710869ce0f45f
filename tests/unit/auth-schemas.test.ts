import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { safeCallbackUrl, SignInSchema } from "@/lib/auth/schemas";
import { PERMISSION_NAMES, routeAccess } from "@/lib/auth/permissions";

describe("safeCallbackUrl", () => {
  it.each([
    ["/tickets?queue=mine", "/tickets?queue=mine"],
    ["/admin/audit", "/admin/audit"],
    ["https://evil.example/", "/"],
    ["//evil.example/path", "/"],
    ["/\\evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["/login?callbackUrl=/x", "/"],
    ["/api/auth/signout", "/"],
    ["", "/"],
    [undefined, "/"],
  ])("%s -> %s", (input, expected) => {
    expect(safeCallbackUrl(input)).toBe(expected);
  });
});

describe("SignInSchema", () => {
  it("lower-cases and trims the email", () => {
    const parsed = SignInSchema.parse({ email: "  Ada@Example.COM ", password: "x" });
    expect(parsed.email).toBe("ada@example.com");
  });

  it("refuses objects where strings are expected", () => {
    expect(SignInSchema.safeParse({ email: { $ne: "" }, password: "x" }).success).toBe(false);
    expect(SignInSchema.safeParse({ email: "a@b.co", password: ["x"] }).success).toBe(false);
  });
});

describe("route table", () => {
  it.each([
    ["/login", "public"],
    ["/api/auth/session", "public"],
    ["/loginx", "signed-in"],
    ["/", "signed-in"],
    ["/tickets/12", "signed-in"],
    ["/admin/users", "user:manage"],
    ["/admin/users/new", "user:manage"],
    ["/admin/categories", "category:manage"],
    ["/admin/settings", "settings:manage"],
    ["/admin/service-levels", "sla:manage"],
    ["/admin/service-levels/calendars/x", "sla:manage"],
    ["/admin/audit", "audit:read"],
    ["/admin/audit/42", "audit:read"],
    ["/admin/audit/export", "audit:export"],
    ["/admin/security", "security:anomalies"],
    ["/administrator", "signed-in"],
  ])("%s", (path, access) => {
    expect(routeAccess(path)).toEqual(access);
  });

  it("names a permission for every admin page and route (the edge asks the table)", () => {
    const root = join(import.meta.dirname, "..", "..", "app", "(app)", "admin");
    const paths = readdirSync(root, { recursive: true, encoding: "utf8" })
      .filter((f) => /(^|\/)(page\.tsx|route\.ts)$/.test(f))
      .map((f) => `/admin/${dirname(f)}`.replace(/\/\.$/, "").replace(/\[(\w+)\]/g, "x"));
    expect(paths.length).toBeGreaterThanOrEqual(7);
    for (const path of paths) {
      expect(PERMISSION_NAMES, path).toContain(routeAccess(path));
    }
  });
});
