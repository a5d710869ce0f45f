import { describe, expect, it } from "vitest";
import { safeCallbackUrl, SignInSchema } from "@/lib/auth/schemas";
import { routeAccess } from "@/lib/auth/permissions";

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
    ["/admin", ["ADMIN"]],
    ["/admin/audit", ["ADMIN"]],
    ["/administrator", "signed-in"],
  ])("%s", (path, access) => {
    expect(routeAccess(path)).toEqual(access);
  });
});
