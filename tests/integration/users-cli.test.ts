import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDb, testDatabaseUrl } from "@/tests/support/db";
import { uniqueSuffix } from "@/tests/support/factories";
import { verifyPassword } from "@/lib/auth/password";

// Runs the real script with tsx, as `npm run user:create` does: this also proves it imports no
// "server-only" module.
const db = createTestDb({ max: 2 });
afterAll(() => db.$disconnect());

function run(args: string[], stdin: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "scripts/user-create.ts", ...args],
      {
        env: {
          PATH: process.env.PATH ?? "",
          NODE_ENV: "test",
          DATABASE_URL: testDatabaseUrl(),
          ...env,
        },
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe("npm run user:create", () => {
  it("creates an admin from a piped password (first line only) and audits it as via cli", async () => {
    const email = `cli-${uniqueSuffix()}@example.test`;
    const result = await run(
      ["--email", email.toUpperCase(), "--role", "admin", "--name", "Cli Admin"],
      "mauve otter grid lantern\nignored second line\n",
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(`Created ADMIN ${email}`);
    const user = await db.user.findUniqueOrThrow({
      where: { email },
      omit: { passwordHash: false },
    });
    expect(user).toMatchObject({ role: "ADMIN", name: "Cli Admin" });
    expect(await verifyPassword("mauve otter grid lantern", user.passwordHash)).toBe(true);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "user.create", entityId: user.id },
    });
    expect(audit).toMatchObject({ actorId: null, metadata: { via: "cli" } });
    expect(audit.requestId).toMatch(/^cli-/);
  }, 30_000);

  it("refuses a weak password or a duplicate email with exit code 1 and a clear message", async () => {
    const email = `cli-${uniqueSuffix()}@example.test`;
    const weak = await run(["--email", email, "--role", "user"], "qwerty123456\n");
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/password: This password is too common/);
    expect(await db.user.count({ where: { email } })).toBe(0);

    expect(
      (await run(["--email", email, "--role", "user"], "mauve otter grid lantern\n")).code,
    ).toBe(0);
    const duplicate = await run(
      ["--email", email, "--role", "technician"],
      "mauve otter grid lantern\n",
    );
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/already exists/);
  }, 30_000);

  it("answers usage errors with exit code 2", async () => {
    const noRole = await run(["--email", "x@example.test"], "mauve otter grid lantern\n");
    expect(noRole.code).toBe(2);
    expect(noRole.stderr).toMatch(/--role must be admin, technician or user/);
    const badRole = await run(["--email", "x@example.test", "--role", "root"], "");
    expect(badRole.code).toBe(2);
    const noDb = await run(
      ["--email", "x@example.test", "--role", "user"],
      "mauve otter grid lantern\n",
      { DATABASE_URL: "" },
    );
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toMatch(/DATABASE_URL/);
  }, 30_000);

  it("answers an unreachable database with exit code 3", async () => {
    const result = await run(
      ["--email", `cli-${uniqueSuffix()}@example.test`, "--role", "user"],
      "mauve otter grid lantern\n",
      {
        DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nothing",
      },
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^Failed:/);
  }, 30_000);
});
