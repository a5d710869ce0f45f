import { describe, expect, it } from "vitest";
import {
  displayPrefix,
  generateToken,
  hashToken,
  isWellFormedToken,
  TOKEN_PATTERN,
  TOKEN_PREFIX,
} from "@/lib/api-tokens/format";
import {
  ApiTokenCreateSchema,
  DEFAULT_TOKEN_EXPIRY,
  expiryDate,
  TOKEN_NAME_MAX,
} from "@/lib/api-tokens/schemas";
import {
  API_SCOPE_NAMES,
  API_SCOPES,
  scopeAllowedFor,
  scopesBeyondRole,
  scopesForRole,
} from "@/lib/api-tokens/scopes";
import { can, ROLES } from "@/lib/auth/permissions";

// Personal access tokens (ADR 025): the token format secret scanners and the server rely on, the
// scopes each role may hold (computed from the one permission table), and the shared schema.

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

describe("token format", () => {
  it("makes prefixed tokens of the documented pattern that pass their own checksum", () => {
    const tokens = Array.from({ length: 200 }, generateToken);
    for (const token of tokens) {
      expect(token.startsWith("tsr_pat_")).toBe(true);
      expect(token).toMatch(TOKEN_PATTERN);
      expect(token).toHaveLength(TOKEN_PREFIX.length + 36);
      expect(isWellFormedToken(token)).toBe(true);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it("refuses a token with any one character changed (the checksum catches it)", () => {
    const token = generateToken();
    let changed = 0;
    for (let i = TOKEN_PREFIX.length; i < token.length; i++) {
      const other = ALPHABET[(ALPHABET.indexOf(token[i]!) + 1) % ALPHABET.length]!;
      const typo = token.slice(0, i) + other + token.slice(i + 1);
      expect(isWellFormedToken(typo), `position ${i}`).toBe(false);
      changed += 1;
    }
    expect(changed).toBe(36);
  });

  it("refuses other prefixes, truncated, padded and foreign tokens", () => {
    const token = generateToken();
    for (const bad of [
      token.replace("tsr_pat_", "tsr_pak_"),
      token.replace("tsr_pat_", "TSR_PAT_"),
      token.slice(0, -1),
      `${token}x`,
      ` ${token}`,
      token.slice(TOKEN_PREFIX.length),
      `tsr_pat_${"-".repeat(36)}`,
      "",
    ]) {
      expect(isWellFormedToken(bad), bad).toBe(false);
    }
  });

  it("hashes with sha256 (hex) and shows only a short prefix", () => {
    const token = generateToken();
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toBe(hashToken(generateToken()));
    const prefix = displayPrefix(token);
    expect(prefix).toBe(token.slice(0, 14));
    expect(prefix.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(isWellFormedToken(prefix)).toBe(false);
  });
});

describe("scopes per role", () => {
  it("derives every role's scopes from the permission table", () => {
    for (const role of ROLES) {
      const expected = API_SCOPE_NAMES.filter((s) =>
        API_SCOPES[s].requires.every((p) => can({ role }, p)),
      );
      expect(scopesForRole(role)).toEqual(expected);
      for (const s of API_SCOPE_NAMES) expect(scopeAllowedFor(role, s)).toBe(expected.includes(s));
    }
  });

  it("gives admins every scope and requesters only their own ticket and category reads/writes", () => {
    expect(scopesForRole("ADMIN")).toEqual(API_SCOPE_NAMES);
    expect(scopesForRole("USER")).toEqual(["tickets:read", "tickets:write", "categories:read"]);
    expect(scopesForRole("TECHNICIAN")).not.toContain("users:read");
    expect(scopesForRole("TECHNICIAN")).not.toContain("audit:read");
  });

  it("names the scopes beyond a role, unknown names included", () => {
    expect(scopesBeyondRole("ADMIN", API_SCOPE_NAMES)).toEqual([]);
    expect(scopesBeyondRole("USER", ["tickets:read", "users:write", "audit:read"])).toEqual([
      "users:write",
      "audit:read",
    ]);
    expect(scopesBeyondRole("ADMIN", ["tickets:read", "root", "__proto__"])).toEqual([
      "root",
      "__proto__",
    ]);
  });
});

describe("ApiTokenCreateSchema", () => {
  const base = { name: "CI deploys", scopes: ["tickets:read"] };

  it("defaults the expiry to 90 days and orders and de-duplicates the scopes", () => {
    const parsed = ApiTokenCreateSchema.parse({
      ...base,
      scopes: ["categories:read", "tickets:read", "categories:read"],
    });
    expect(parsed).toEqual({
      name: "CI deploys",
      scopes: ["tickets:read", "categories:read"],
      expiresIn: DEFAULT_TOKEN_EXPIRY,
    });
    expect(DEFAULT_TOKEN_EXPIRY).toBe("90");
  });

  it("takes one checkbox (FormData's string) and refuses none", () => {
    expect(ApiTokenCreateSchema.parse({ ...base, scopes: "tickets:read" }).scopes).toEqual([
      "tickets:read",
    ]);
    for (const scopes of [[], false, undefined]) {
      const result = ApiTokenCreateSchema.safeParse({ ...base, scopes });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(["scopes"]);
    }
  });

  it("refuses unknown scopes, empty and long names, NUL and unknown expiries", () => {
    for (const bad of [
      { ...base, scopes: ["tickets:read", "root"] },
      { ...base, name: "   " },
      { ...base, name: "x".repeat(TOKEN_NAME_MAX + 1) },
      { ...base, name: "a\u0000b" },
      { ...base, expiresIn: "3650" },
    ]) {
      expect(ApiTokenCreateSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(ApiTokenCreateSchema.safeParse({ ...base, name: "x".repeat(80) }).success).toBe(true);
  });

  it("turns an expiry choice into a date (or none)", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect(expiryDate("7", now)?.toISOString()).toBe("2026-01-08T00:00:00.000Z");
    expect(expiryDate("365", now)?.toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(expiryDate("never", now)).toBeNull();
  });
});
