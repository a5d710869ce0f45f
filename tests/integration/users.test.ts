import { afterAll, describe, expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { verifyPassword } from "@/lib/auth/password";
import { changePassword } from "@/lib/users/account";
import { createUser } from "@/lib/users/service";
import { createTestDb } from "@/tests/support/db";
import { makeUser, uniqueSuffix } from "@/tests/support/factories";
import { sealAndVerify } from "@/tests/support/audit";

const db = createTestDb();
afterAll(() => db.$disconnect());

const storedHash = async (id: string) =>
  (await db.user.findUniqueOrThrow({ where: { id }, omit: { passwordHash: false } })).passwordHash;

async function expectValidationError(
  promise: Promise<unknown>,
  field: string,
): Promise<ValidationError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).fieldErrors?.[field]?.length, field).toBeGreaterThan(0);
  return error as ValidationError;
}

describe("createUser", () => {
  it("normalizes the email, hashes the password and audits the creation in one go", async () => {
    const email = `New.Person-${uniqueSuffix()}@Example.TEST`;
    const admin = await makeUser(db, { role: "ADMIN" });
    const user = await createUser(
      db,
      {
        email: `  ${email} `,
        name: " New Person ",
        role: "TECHNICIAN",
        password: "mauve otter grid lantern",
      },
      {
        actor: admin,
        context: { requestId: "req-create" },
      },
    );
    expect(user).toMatchObject({
      email: email.toLowerCase(),
      name: "New Person",
      role: "TECHNICIAN",
      active: true,
    });
    expect(user).not.toHaveProperty("passwordHash");
    expect(await verifyPassword("mauve otter grid lantern", await storedHash(user.id))).toBe(true);

    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "user.create", entityId: user.id },
    });
    expect(audit).toMatchObject({
      actorId: admin.id,
      actorRole: "ADMIN",
      outcome: "SUCCESS",
      requestId: "req-create",
    });
    expect(audit.after).toMatchObject({ email: email.toLowerCase(), role: "TECHNICIAN" });
    expect(JSON.stringify([audit.before, audit.after, audit.metadata])).not.toMatch(/mauve|\$2b\$/);
    expect((await sealAndVerify(db)).ok).toBe(true);
  });

  it("refuses a duplicate email, whatever its case, with a field error", async () => {
    const email = `dup-${uniqueSuffix()}@example.test`;
    await createUser(db, {
      email,
      name: "First",
      role: "USER",
      password: "mauve otter grid lantern",
    });
    const error = await expectValidationError(
      createUser(db, {
        email: email.toUpperCase(),
        name: "Second",
        role: "USER",
        password: "mauve otter grid lantern",
      }),
      "email",
    );
    expect(error.fieldErrors?.email?.[0]).toMatch(/already exists/);
    expect(await db.user.count({ where: { email } })).toBe(1);
  });

  it("lets exactly one of two concurrent creations of the same email win", async () => {
    const email = `race-${uniqueSuffix()}@example.test`;
    const attempt = () =>
      createUser(db, { email, name: "Racer", role: "USER", password: "mauve otter grid lantern" });
    const results = await Promise.allSettled([attempt(), attempt()]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ValidationError);
    expect(await db.user.count({ where: { email } })).toBe(1);
    expect(
      await db.auditEvent.count({
        where: { action: "user.create", after: { path: ["email"], equals: email } },
      }),
    ).toBe(1);
  });

  it("enforces the password policy and the field rules, writing nothing", async () => {
    const email = `weak-${uniqueSuffix()}@example.test`;
    await expectValidationError(
      createUser(db, { email, name: "Weak", role: "USER", password: "qwerty123456" }),
      "password",
    );
    await expectValidationError(
      createUser(db, { email, name: "Short", role: "USER", password: "short" }),
      "password",
    );
    await expectValidationError(
      createUser(db, {
        email: "not-an-email",
        name: "X",
        role: "USER",
        password: "mauve otter grid lantern",
      }),
      "email",
    );
    await expectValidationError(
      // @ts-expect-error: a role that does not exist, as a forged request would send it
      createUser(db, { email, name: "X", role: "ROOT", password: "mauve otter grid lantern" }),
      "role",
    );
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("inside a caller's transaction that fails, leaves neither the user nor its audit event", async () => {
    const email = `tx-${uniqueSuffix()}@example.test`;
    let createdId = "";
    await expect(
      db.$transaction(
        async (tx) => {
          createdId = (
            await createUser(tx, {
              email,
              name: "Tx",
              role: "USER",
              password: "mauve otter grid lantern",
            })
          ).id;
          throw new Error("later step failed");
        },
        { timeout: 15_000 },
      ),
    ).rejects.toThrow("later step failed");
    expect(createdId).not.toBe("");
    expect(await db.user.count({ where: { email } })).toBe(0);
    expect(await db.auditEvent.count({ where: { entityId: createdId } })).toBe(0);
  });
});

describe("changePassword", () => {
  it("changes the hash, bumps sessionVersion, clears mustChangePassword and audits", async () => {
    const user = await makeUser(db, { mustChangePassword: true, sessionVersion: 4 });
    const result = await changePassword(
      { actor: user, request: { ip: "198.51.100.7", requestId: "req-pw" } },
      { currentPassword: user.password, newPassword: "violet heron desk lamp" },
    );
    expect(result).toEqual({ sessionVersion: 5 });
    const after = await db.user.findUniqueOrThrow({
      where: { id: user.id },
      omit: { passwordHash: false },
    });
    expect(after).toMatchObject({ sessionVersion: 5, mustChangePassword: false });
    expect(await verifyPassword("violet heron desk lamp", after.passwordHash)).toBe(true);
    expect(await verifyPassword(user.password, after.passwordHash)).toBe(false);

    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "user.password_change", entityId: user.id },
    });
    expect(audit).toMatchObject({
      actorId: user.id,
      outcome: "SUCCESS",
      ip: "198.51.100.7",
      requestId: "req-pw",
    });
    expect(audit.before).toEqual({ sessionVersion: 4, mustChangePassword: true });
    expect(audit.after).toEqual({ sessionVersion: 5, mustChangePassword: false });
    expect(JSON.stringify([audit.before, audit.after, audit.metadata])).not.toMatch(
      /violet|\$2b\$/,
    );
  });

  it("refuses a wrong current password, audits the failure and changes nothing", async () => {
    const user = await makeUser(db);
    const hashBefore = await storedHash(user.id);
    await expectValidationError(
      changePassword(
        { actor: user },
        {
          currentPassword: "not the right one!",
          newPassword: "violet heron desk lamp",
        },
      ),
      "currentPassword",
    );
    expect(await storedHash(user.id)).toBe(hashBefore);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion).toBe(1);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "user.password_change", entityId: user.id },
    });
    expect(audit).toMatchObject({
      outcome: "FAILED",
      metadata: { reason: "wrong_current_password" },
    });
  });

  it("refuses a new password that breaks the policy or equals the current one", async () => {
    const user = await makeUser(db);
    await expectValidationError(
      changePassword(
        { actor: user },
        {
          currentPassword: user.password,
          newPassword: "password1234",
        },
      ),
      "newPassword",
    );
    await expectValidationError(
      changePassword(
        { actor: user },
        {
          currentPassword: user.password,
          newPassword: user.password,
        },
      ),
      "newPassword",
    );
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion).toBe(1);
  });
});
