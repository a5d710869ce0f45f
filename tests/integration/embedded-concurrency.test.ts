import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "@/lib/audit";
import type { Db } from "@/lib/db";
import { createPrismaClient } from "@/prisma/client";
import { applyMigrations } from "@/scripts/db/migrate";
import { startEmbeddedPostgres, type EmbeddedDb } from "@/scripts/lib/embedded";
import { repoRoot } from "@/scripts/lib/proc";
import { sealAndVerify } from "@/tests/support/audit";

// The embedded database (PGlite: one session) under concurrent clients, whatever database the
// rest of the suite runs on: this file starts its own embedded server in a temp folder.
// docs/decisions/003-embedded-postgres.md explains the session gate these tests hold to account.

const IDLE_IN_TRANSACTION_MS = 2_000;
const dir = mkdtempSync(join(tmpdir(), "tessera-embedded-conc-"));
let server: EmbeddedDb;
let db: Db;

beforeAll(async () => {
  server = await startEmbeddedPostgres({
    pgDir: join(dir, "pg"),
    port: 0,
    idleInTransactionMs: IDLE_IN_TRANSACTION_MS,
  });
  await applyMigrations(server.url, { log: () => {} });
  db = createPrismaClient(server.url, { max: 20 });
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function rawClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  return client;
}

class Rollback extends Error {}

describe("the embedded database under concurrent clients", () => {
  it("keeps every acknowledged write and no rolled-back one at concurrency 20, without errors", async () => {
    const requester = await db.user.create({
      data: {
        email: `conc-${Date.now()}@example.test`,
        name: "Concurrent Requester",
        passwordHash: "!",
      },
    });
    const category = await db.category.create({ data: { name: `Concurrency ${Date.now()}` } });
    const acknowledged: string[] = [];
    const rolledBack: string[] = [];
    const errors: string[] = [];

    // Each kind of work, chosen by the worker's step; every one checks its own answer, so a
    // statement answered with another connection's result counts as an error.
    const createTicket = async (title: string, rollback: boolean) => {
      await db.$transaction(
        async (tx) => {
          const ticket = await tx.ticket.create({
            data: {
              title,
              description: `body of ${title}`,
              categoryId: category.id,
              requesterId: requester.id,
            },
            select: { id: true, number: true },
          });
          await recordAudit(tx, {
            action: "ticket.create",
            entityType: "Ticket",
            entityId: ticket.id,
            outcome: "SUCCESS",
            after: { title },
          });
          const seen = await tx.ticket.count({ where: { title } });
          if (seen !== 1) throw new Error(`own uncommitted write not visible: ${title}`);
          if (rollback) throw new Rollback(title);
        },
        { maxWait: 60_000, timeout: 60_000 },
      );
    };
    const read = async (step: number) => {
      const rows = await db.ticket.findMany({
        where: { requesterId: requester.id },
        orderBy: { number: "desc" },
        take: 10,
        select: { requesterId: true },
      });
      if (rows.some((r) => r.requesterId !== requester.id))
        throw new Error("foreign row in a read");
      const [echo] = await db.$queryRaw<{ a: number; b: string; c: boolean }[]>`
        SELECT ${step}::int AS a, ${`s${step}`}::text AS b, ${step % 2 === 0}::boolean AS c`;
      if (echo?.a !== step || echo.b !== `s${step}` || echo.c !== (step % 2 === 0))
        throw new Error(`answer of another statement: ${JSON.stringify(echo)} for ${step}`);
    };

    const worker = async (w: number) => {
      for (let step = 0; step < 25; step += 1) {
        const title = `conc ${w}.${step}`;
        try {
          switch (step % 4) {
            case 0:
            case 1:
              await createTicket(title, false);
              acknowledged.push(title);
              break;
            case 2:
              rolledBack.push(title);
              await createTicket(title, true).catch((err: unknown) => {
                if (!(err instanceof Rollback)) throw err;
              });
              break;
            default:
              await read(w * 100 + step);
          }
        } catch (err) {
          errors.push(`${title}: ${(err as Error).message}`);
        }
      }
    };

    // Another process on the same database meanwhile: the admin CLI a newcomer would run.
    const cliEmail = `cli-${Date.now()}@example.test`;
    const cli = runUserCreate(server.url, cliEmail);
    await Promise.all(Array.from({ length: 20 }, (_, w) => worker(w)));
    const cliResult = await cli;

    expect(errors).toEqual([]);
    expect(cliResult.code, cliResult.output).toBe(0);
    const stored = await db.ticket.findMany({
      where: { requesterId: requester.id },
      select: { id: true, title: true },
    });
    const titles = new Set(stored.map((t) => t.title));
    expect(acknowledged.filter((t) => !titles.has(t))).toEqual([]);
    expect(rolledBack.filter((t) => titles.has(t))).toEqual([]);
    expect(stored).toHaveLength(acknowledged.length);
    // Exactly one audit row per acknowledged ticket, none for the rolled-back ones.
    const audits = await db.auditEvent.groupBy({
      by: ["entityId"],
      where: { entityId: { in: stored.map((t) => t.id) } },
      _count: { _all: true },
    });
    expect(audits).toHaveLength(stored.length);
    expect(audits.every((a) => a._count._all === 1)).toBe(true);
    expect(await db.user.count({ where: { email: cliEmail } })).toBe(1);
    expect(await sealAndVerify(db, { anchorFile: join(dir, "anchors.jsonl") })).toMatchObject({
      ok: true,
    });
  }, 300_000);

  it("rolls back the open transaction of a client that disconnects, and serves the others", async () => {
    const a = await rawClient();
    const b = await rawClient();
    a.on("error", () => {}); // its socket is destroyed below
    await a.query("BEGIN");
    await a.query("CREATE TABLE conc_probe (v text)");
    await a.query("INSERT INTO conc_probe VALUES ('from a dead client')");
    // While A holds the session, B waits for it (a statement of B must not run inside A's
    // transaction). Then A's socket dies without COMMIT, long before the idle timeout.
    const started = Date.now();
    const bQuery = b.query("SELECT count(*)::int AS n FROM pg_class WHERE relname = 'conc_probe'");
    await new Promise((r) => setTimeout(r, 200));
    (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const { rows } = await bQuery;
    expect(rows[0]!.n).toBe(0); // A's CREATE TABLE was rolled back with the rest
    expect(Date.now() - started).toBeLessThan(IDLE_IN_TRANSACTION_MS);
    await b.end();
  });

  it("cuts off a client that stays idle inside a transaction, so others are not blocked forever", async () => {
    const idle = await rawClient();
    const other = await rawClient();
    const closed = new Promise<Error>((resolve) => idle.on("error", resolve));
    await idle.query("BEGIN");
    await idle.query("SELECT 1");
    const started = Date.now();
    const { rows } = await other.query("SELECT 42 AS answer");
    expect(rows[0]!.answer).toBe(42);
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_IN_TRANSACTION_MS - 100);
    const err = await closed;
    expect(err.message).toMatch(/idle-in-transaction timeout/);
    await other.end();
  });
});

function runUserCreate(
  url: string,
  email: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "scripts/user-create.ts", "--email", email, "--role", "user"],
      { cwd: repoRoot, env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "silent" } },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.stdin.end("a long passphrase for the concurrency test\n");
    child.on("exit", (code) => resolve({ code, output }));
  });
}
