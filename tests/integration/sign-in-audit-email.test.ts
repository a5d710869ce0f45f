import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { makeUser } from "@/tests/support/factories";
import { captureLogs } from "@/tests/support/logs";
import { uniqueIp } from "@/tests/support/rate-limit";

// Issue 10 §5: a failed sign-in keeps the submitted "email" in the audit trail (and its alert)
// only when it is a well-formed address of an existing account; anything else (an unknown
// address, a pasted password) only as a keyed hash (HMAC with a key derived from AUTH_SECRET).
const { authenticate } = await import("@/lib/auth/sign-in");
const { auditEmailHash } = await import("@/lib/auth/server-keys");
const { logger } = await import("@/lib/logger");

const db = createTestDb();
const ctx = () => ({ ip: uniqueIp(), userAgent: "vitest", requestId: `req-${Date.now()}` });

beforeEach(() => {
  vi.stubEnv("CAPTCHA_AFTER_ACCOUNT_FAILURES", "10000");
});
afterEach(() => vi.unstubAllEnvs());
afterAll(() => db.$disconnect());

async function eventsWithHash(value: string) {
  return db.auditEvent.findMany({
    where: {
      action: "auth.sign_in",
      metadata: { path: ["emailHash"], equals: auditEmailHash(value) },
    },
  });
}

async function anyEventContaining(text: string) {
  const rows = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "AuditEvent"
    WHERE action = 'auth.sign_in' AND metadata::text LIKE ${`%${text}%`}`;
  return rows[0]!.n;
}

describe("the attempted email in the audit trail", () => {
  it("a pasted password in the email field is stored only as a keyed hash", async () => {
    const pasted = `Tr0ub4dor&3-correct-horse-${Date.now()}`;
    expect(await authenticate({ email: pasted, password: "x" }, ctx())).toBeNull();
    const [event] = await eventsWithHash(pasted);
    expect(event?.metadata).toMatchObject({ reason: "invalid_input" });
    expect(event?.metadata).not.toHaveProperty("email");
    expect(await anyEventContaining(pasted)).toBe(0);
  });

  it("a well-formed address with no account is stored only as a keyed hash", async () => {
    const unknown = `nobody-${Date.now()}@example.test`;
    expect(await authenticate({ email: unknown, password: "wrong-password" }, ctx())).toBeNull();
    const [event] = await eventsWithHash(unknown);
    expect(event?.metadata).toMatchObject({ reason: "unknown_account" });
    expect(await anyEventContaining(unknown)).toBe(0);
    // The hash is keyed: a plain sha256 of the address is not what is stored.
    const { createHash } = await import("node:crypto");
    const bare = createHash("sha256").update(unknown).digest("hex");
    expect((event?.metadata as { emailHash?: string }).emailHash).not.toBe(bare);
    expect(auditEmailHash(unknown, "another-secret-of-at-least-32-characters!")).not.toBe(
      auditEmailHash(unknown),
    );
  });

  it("the address of an existing account is stored as it is (normalised)", async () => {
    const user = await makeUser(db);
    expect(
      await authenticate({ email: user.email.toUpperCase(), password: "wrong-password" }, ctx()),
    ).toBeNull();
    const events = await db.auditEvent.findMany({
      where: { action: "auth.sign_in", metadata: { path: ["email"], equals: user.email } },
    });
    expect(events.map((e) => e.metadata)).toEqual([
      expect.objectContaining({ reason: "wrong_password", email: user.email }),
    ]);
  });

  it("the repeated-failure alert carries the hash, not the text", async () => {
    vi.stubEnv("CAPTCHA_AFTER_ACCOUNT_FAILURES", "1");
    const pasted = `hunter2-${Date.now()}@`;
    const logs = captureLogs(logger);
    try {
      await authenticate({ email: pasted, password: "x" }, ctx()).catch(() => null);
      await authenticate({ email: `${pasted}x`, password: "x" }, ctx()).catch(() => null);
    } finally {
      logs.restore();
    }
    expect(logs.text()).not.toContain(pasted);
  });
});
