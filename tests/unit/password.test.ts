import { afterEach, describe, expect, it } from "vitest";
import bcrypt from "bcryptjs";
import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PasswordSchema,
  bcryptCost,
  hashPassword,
  isCommonPassword,
  passwordNeedsRehash,
  prehashPassword,
  verifyAgainstDummy,
  verifyPassword,
} from "@/lib/auth/password";
import { COMMON_PASSWORDS_TEXT } from "@/lib/auth/common-passwords";
import { PasswordChangeSchema, UserCreateSchema } from "@/lib/users/schemas";

const accepts = (p: string) => PasswordSchema.safeParse(p).success;

describe("password policy", () => {
  it("requires 12 to 128 characters", () => {
    expect(PASSWORD_MIN_LENGTH).toBe(12);
    expect(PASSWORD_MAX_LENGTH).toBe(128);
    expect(accepts("mauve-otter-")).toBe(true); // 12
    expect(accepts("mauve-otter")).toBe(false); // 11
    const base = "mauve otter grid lantern ";
    expect(accepts(base.repeat(6).slice(0, 128))).toBe(true);
    expect(accepts(base.repeat(6).slice(0, 129))).toBe(false);
    expect(accepts("")).toBe(false);
  });

  it("counts characters as people do (code points), not UTF-16 units", () => {
    expect(accepts("🐙".repeat(11) + "x")).toBe(true); // 12 characters, 23 UTF-16 units
    expect(accepts("🐙".repeat(6))).toBe(false); // 6 characters, 12 UTF-16 units
    const animals = (n: number) =>
      Array.from({ length: n }, (_, i) => String.fromCodePoint(0x1f400 + i)).join("");
    expect(accepts(animals(128))).toBe(true); // 256 UTF-16 units
    expect(accepts(animals(129))).toBe(false);
  });

  it("refuses the bundled common passwords, case-insensitively", () => {
    const list = COMMON_PASSWORDS_TEXT.split("\n");
    expect(list.length).toBeGreaterThan(5000);
    for (const p of [
      "123qweasdzxc",
      "1qaz2wsx3edc",
      "qwerty123456",
      "QWERTY123456",
      "LeaveMeAlone",
    ]) {
      expect(isCommonPassword(p), p).toBe(true);
      expect(accepts(p), p).toBe(false);
    }
    expect(PasswordSchema.safeParse("qwerty123456").error?.issues[0]?.message).toMatch(
      /too common/,
    );
  });

  it("refuses a listed word wrapped in digits or symbols, and repeated units", () => {
    for (const p of [
      "Sunshine2024!",
      "football1234",
      "2024-baseball!",
      "passwordpassword",
      "aaaaaaaaaaaa",
      "abcabcabcabc",
      "Tessera12345!",
    ]) {
      expect(accepts(p), p).toBe(false);
    }
    for (const p of ["tessera-demo-password", "correct mauve otter", "sunshine on the lake"]) {
      expect(accepts(p), p).toBe(true);
    }
  });

  it("gives messages fit for people", () => {
    expect(PasswordSchema.safeParse("short").error?.issues[0]?.message).toMatch(
      /at least 12 characters/,
    );
    expect(PasswordSchema.safeParse(123).error?.issues[0]?.message).toBe("Enter a password.");
  });
});

describe("password hashing", () => {
  const saved = process.env.BCRYPT_COST;
  afterEach(() => {
    if (saved === undefined) delete process.env.BCRYPT_COST;
    else process.env.BCRYPT_COST = saved;
  });

  it("never truncates at bcrypt's 72 bytes", async () => {
    const a72 = "a".repeat(72);
    // Raw bcrypt would confuse these two (the known trap this design avoids):
    const raw = await bcrypt.hash(`${a72}X`, 4);
    expect(await bcrypt.compare(`${a72}Y`, raw)).toBe(true);
    // Ours does not:
    const hash = await hashPassword(`${a72}X`);
    expect(await verifyPassword(`${a72}X`, hash)).toBe(true);
    expect(await verifyPassword(`${a72}Y`, hash)).toBe(false);
    // Multi-byte characters past byte 72 count too (40 x 2-byte characters = 80 bytes).
    const e40 = "é".repeat(40);
    const hash2 = await hashPassword(`${e40}1`);
    expect(await verifyPassword(`${e40}2`, hash2)).toBe(false);
  });

  it("bcrypt sees a fixed 44-byte ASCII digest", () => {
    const digest = prehashPassword("x".repeat(128));
    expect(digest).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.byteLength(digest)).toBeLessThanOrEqual(72);
  });

  it("verifies the right password and rejects a wrong one", async () => {
    const hash = await hashPassword("mauve otter grid lantern");
    expect(hash).toMatch(/^\$2b\$10\$/);
    expect(await verifyPassword("mauve otter grid lantern", hash)).toBe(true);
    expect(await verifyPassword("mauve otter grid lanterN", hash)).toBe(false);
    expect(await verifyPassword("mauve otter grid lantern", "not-a-hash")).toBe(false);
  });

  it("matches the same password in another Unicode normalization form", async () => {
    const composed = "caf\u00e9 au lait noir"; // é as one code point
    const decomposed = "cafe\u0301 au lait noir"; // e + combining accent
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });

  it("spends comparable time for an unknown account", async () => {
    expect(await verifyAgainstDummy("anything at all")).toBe(false);
    const hash = await hashPassword("mauve otter grid lantern");
    const t0 = performance.now();
    await verifyPassword("wrong password here", hash);
    const real = performance.now() - t0;
    const t1 = performance.now();
    await verifyAgainstDummy("wrong password here");
    const dummy = performance.now() - t1;
    expect(dummy).toBeGreaterThan(real / 3);
    expect(dummy).toBeLessThan(real * 3);
  });

  it("reads BCRYPT_COST (10..14, default 10) and flags weaker hashes for rehash", async () => {
    delete process.env.BCRYPT_COST;
    expect(bcryptCost()).toBe(10);
    process.env.BCRYPT_COST = "11";
    expect(bcryptCost()).toBe(11);
    const weaker = await bcrypt.hash("x", 10);
    expect(passwordNeedsRehash(weaker)).toBe(true);
    for (const bad of ["9", "15", "ten", "10.5"]) {
      process.env.BCRYPT_COST = bad;
      expect(() => bcryptCost(), bad).toThrow(/BCRYPT_COST/);
    }
  });
});

describe("user schemas", () => {
  it("trims and lower-cases emails", () => {
    const parsed = UserCreateSchema.parse({
      email: "  Ada@Example.COM ",
      name: " Ada ",
      role: "ADMIN",
      password: "mauve otter grid lantern",
    });
    expect(parsed).toMatchObject({
      email: "ada@example.com",
      name: "Ada",
      mustChangePassword: false,
    });
  });

  it("requires the confirmation to match and the new password to differ", () => {
    const base = {
      currentPassword: "mauve otter grid lantern",
      newPassword: "violet heron desk",
      confirmPassword: "violet heron desk",
    };
    expect(PasswordChangeSchema.safeParse(base).success).toBe(true);
    const mismatch = PasswordChangeSchema.safeParse({
      ...base,
      confirmPassword: "violet heron dusk",
    });
    expect(mismatch.error?.issues[0]?.path).toEqual(["confirmPassword"]);
    const same = PasswordChangeSchema.safeParse({
      ...base,
      newPassword: base.currentPassword,
      confirmPassword: base.currentPassword,
    });
    expect(same.error?.issues[0]?.path).toEqual(["newPassword"]);
  });
});
