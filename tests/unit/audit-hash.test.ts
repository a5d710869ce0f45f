import { describe, expect, it } from "vitest";
import {
  GENESIS_HASH,
  canonicalJson,
  computeAuditHash,
  type AuditHashFields,
} from "@/lib/audit/hash";
import { REDACTED, isSecretKey, prepareAuditJson } from "@/lib/audit/redact";

const base: AuditHashFields = {
  prevHash: GENESIS_HASH,
  createdAt: new Date("2026-11-27T10:00:00.123Z"),
  actorId: "u1",
  actorRole: "ADMIN",
  actorEmail: "ada@example.com",
  action: "user.create",
  entityType: "User",
  entityId: "u2",
  outcome: "SUCCESS",
  before: null,
  after: { email: "b@example.com", role: "USER" },
  metadata: { via: "cli" },
  ip: "127.0.0.1",
  userAgent: "test",
  requestId: "r1",
};

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
  it("escapes strings like JSON and refuses non-finite numbers", () => {
    expect(canonicalJson('a"b\n')).toBe('"a\\"b\\n"');
    expect(() => canonicalJson(Number.NaN)).toThrow();
  });
});

describe("computeAuditHash", () => {
  it("is a stable sha256 hex independent of JSON key order", () => {
    const h = computeAuditHash(base);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(computeAuditHash({ ...base, after: { role: "USER", email: "b@example.com" } })).toBe(h);
  });
  it("changes when any stored field changes", () => {
    const h = computeAuditHash(base);
    const variants: Partial<AuditHashFields>[] = [
      { prevHash: "1".repeat(64) },
      { createdAt: new Date("2026-11-27T10:00:00.124Z") },
      { actorId: null },
      { actorRole: "USER" },
      { actorEmail: "eve@example.com" },
      { action: "user.delete" },
      { entityType: "Ticket" },
      { entityId: "u3" },
      { outcome: "REFUSED" },
      { before: {} },
      { after: { email: "b@example.com", role: "ADMIN" } },
      { metadata: null },
      { ip: "10.0.0.1" },
      { userAgent: "other" },
      { requestId: "r2" },
    ];
    for (const change of variants)
      expect(computeAuditHash({ ...base, ...change }), JSON.stringify(change)).not.toBe(h);
  });
  it("does not confuse null with the string 'null' or an empty object", () => {
    expect(computeAuditHash({ ...base, entityId: "null" })).not.toBe(
      computeAuditHash({ ...base, entityId: null }),
    );
    expect(computeAuditHash({ ...base, before: {} })).not.toBe(
      computeAuditHash({ ...base, before: null }),
    );
  });
});

describe("redaction", () => {
  it("recognises secret keys in any case or spelling", () => {
    for (const key of [
      "password",
      "passwordHash",
      "new_password",
      "currentPassword",
      "token",
      "sessionToken",
      "mfaSecret",
      "recoveryCodes",
      "code",
      "TOTP",
      "apiKey",
      "Authorization",
      "cookie",
    ]) {
      expect(isSecretKey(key), key).toBe(true);
    }
    for (const key of [
      "email",
      "name",
      "role",
      "sessionVersion",
      "status",
      "categoryId",
      "postcode",
    ]) {
      expect(isSecretKey(key), key).toBe(false);
    }
  });

  it("redacts at any depth and leaves the rest intact", () => {
    const value = prepareAuditJson({
      email: "a@example.com",
      passwordHash: "$2b$10$abc",
      nested: { list: [{ token: "t", ok: 1 }], mfa: { secret: "s", recoveryCodes: ["a", "b"] } },
    });
    expect(value).toEqual({
      email: "a@example.com",
      passwordHash: REDACTED,
      nested: {
        list: [{ token: REDACTED, ok: 1 }],
        mfa: { secret: REDACTED, recoveryCodes: REDACTED },
      },
    });
    expect(JSON.stringify(value)).not.toMatch(/\$2b\$|"t"|"s"/);
  });

  it("keeps flags and empty values under secret-looking keys", () => {
    expect(
      prepareAuditJson({ mustChangePassword: true, mfaSecret: null, code: 123456, token: "" }),
    ).toEqual({
      mustChangePassword: true,
      mfaSecret: null,
      code: REDACTED,
      token: REDACTED,
    });
  });

  it("normalises values as the database will return them", () => {
    expect(
      prepareAuditJson({
        at: new Date("2026-01-01T00:00:00Z"),
        n: 10n,
        gone: undefined,
        text: "a\u0000b\uD800",
      }),
    ).toEqual({ at: "2026-01-01T00:00:00.000Z", n: "10", text: "a\uFFFDb\uFFFD" });
    expect(prepareAuditJson(undefined)).toBeNull();
    expect(prepareAuditJson(null)).toBeNull();
  });
});
