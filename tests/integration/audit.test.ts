import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  AUDIT_SEAL_LOCK_KEY,
  GENESIS_HASH,
  REDACTED,
  chainHead,
  computeAuditHash,
  databaseIdentity,
  pendingAuditEvents,
  readAnchorFile,
  recordAudit,
  recordAuditStandalone,
  sealAuditEvents,
  verifyAuditChain,
  writeAnchor,
} from "@/lib/audit";
import { anchorMac } from "@/lib/audit/anchor";
import { createTestDb } from "@/tests/support/db";
import { sealAndVerify } from "@/tests/support/audit";
import { uniqueSuffix } from "@/tests/support/factories";
import { onEmbeddedServer } from "@/tests/support/scratch-db";

// Shares the test database with other files (files run one at a time): assertions look at rows
// by unique entity ids and verify the whole chain, whatever else is in it. Tampering tests restore
// the rows afterwards. ADR 004 (revised): requests write events unchained; the sealer chains them.
const db = createTestDb({ max: 25 });
afterAll(() => db.$disconnect());

const event = (entityId: string, extra: Partial<Parameters<typeof recordAudit>[1]> = {}) => ({
  action: "test.event",
  entityType: "Test",
  entityId,
  outcome: "SUCCESS" as const,
  ...extra,
});

const rowsOf = (tag: string) =>
  db.auditEvent.findMany({ where: { entityId: { startsWith: tag } }, orderBy: { id: "asc" } });

describe("recordAudit and the sealer", () => {
  it("writes events unchained; the sealer chains them in id order and the chain verifies", async () => {
    const tag = uniqueSuffix();
    for (let i = 0; i < 10; i += 1) await recordAuditStandalone(db, event(`${tag}-${i}`));
    const pending = await rowsOf(tag);
    expect(pending).toHaveLength(10);
    for (const row of pending) expect(row).toMatchObject({ seq: null, prevHash: null, hash: null });
    expect((await pendingAuditEvents(db)).count).toBeGreaterThanOrEqual(10);

    const { sealed, head } = await sealAuditEvents(db, { wait: true });
    expect(sealed).toBeGreaterThanOrEqual(10);
    expect((await pendingAuditEvents(db)).count).toBe(0);
    const rows = await rowsOf(tag);
    // Sealed one after the other: consecutive positions, each linked to the one before.
    for (let i = 1; i < rows.length; i += 1) {
      expect(rows[i]!.seq).toBe(rows[i - 1]!.seq! + 1n);
      expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    }
    expect(head).toEqual(await chainHead(db));
    const result = await verifyAuditChain(db, { from: "start" });
    expect(result).toMatchObject({ ok: true, pending: 0, lastSeq: head!.seq.toString() });
    expect(result.count).toBeGreaterThanOrEqual(10);
    // Keyset batches of any size give the same answer.
    expect(await verifyAuditChain(db, { from: "start", batchSize: 3 })).toEqual(result);
  });

  it("the first event of the chain starts from the genesis hash", async () => {
    await sealAuditEvents(db, { wait: true });
    const first = await db.auditEvent.findFirst({
      where: { seq: { not: null } },
      orderBy: { seq: "asc" },
    });
    expect(first?.prevHash).toBe(GENESIS_HASH);
  });

  it("writes nothing when the surrounding transaction fails", async () => {
    const name = `Rolled back ${uniqueSuffix()}`;
    await expect(
      db.$transaction(async (tx) => {
        const category = await tx.category.create({ data: { name } });
        await recordAudit(
          tx,
          event(category.id, { action: "category.create", entityType: "Category" }),
        );
        throw new Error("boom after the audit event");
      }),
    ).rejects.toThrow("boom");
    expect(await db.category.count({ where: { name } })).toBe(0);
    expect(
      await db.auditEvent.count({
        where: { action: "category.create", after: { equals: { name } } },
      }),
    ).toBe(0);
    expect((await sealAndVerify(db)).ok).toBe(true);
  });

  it("takes createdAt from the database clock and stores actor, context and outcome", async () => {
    const tag = uniqueSuffix();
    const recorded = await recordAuditStandalone(db, {
      ...event(tag),
      outcome: "REFUSED",
      actor: { id: "actor-1", role: "TECHNICIAN", email: "tech@example.test" },
      context: { ip: "203.0.113.9", userAgent: "vitest", requestId: `req-${tag}` },
    });
    const [clock] = await db.$queryRaw<{ now: Date }[]>`SELECT clock_timestamp() AS now`;
    expect(Math.abs(clock!.now.getTime() - recorded.createdAt.getTime())).toBeLessThan(5_000);
    const row = await db.auditEvent.findUniqueOrThrow({ where: { id: recorded.id } });
    expect(row).toMatchObject({
      actorId: "actor-1",
      actorRole: "TECHNICIAN",
      actorEmail: "tech@example.test",
      outcome: "REFUSED",
      ip: "203.0.113.9",
      userAgent: "vitest",
      requestId: `req-${tag}`,
      createdAt: recorded.createdAt,
    });
  });

  it("redacts secrets and survives the jsonb round trip (key order, numbers, odd strings)", async () => {
    const tag = uniqueSuffix();
    const recorded = await recordAuditStandalone(db, {
      ...event(tag),
      before: { password: "hunter2-hunter2", name: "x" },
      after: {
        zz: 1,
        a: 1.5,
        big: 1e21,
        neg: -0.000123,
        nested: { token: "abc", list: [3, "é", null, true] },
      },
      metadata: {
        "longer key": "\u0000nul and lone \uD800 surrogate",
        k: "🐙",
        recoveryCodes: ["a", "b"],
      },
    });
    const row = await db.auditEvent.findUniqueOrThrow({ where: { id: recorded.id } });
    expect(row.before).toEqual({ password: REDACTED, name: "x" });
    expect(row.after).toMatchObject({ nested: { token: REDACTED } });
    expect(JSON.stringify([row.before, row.after, row.metadata])).not.toMatch(/hunter2|"abc"/);
    expect((await sealAndVerify(db)).ok).toBe(true);
  });

  it("20 concurrent writers: no lock on the request path, one valid chain after sealing", async () => {
    const tag = uniqueSuffix();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => recordAuditStandalone(db, event(`${tag}-${i}`))),
    );
    await sealAuditEvents(db, { wait: true });
    const rows = await rowsOf(tag);
    expect(rows).toHaveLength(20);
    expect(new Set(rows.map((r) => r.seq)).size).toBe(20);
    expect(new Set(rows.map((r) => r.hash)).size).toBe(20);
    expect((await verifyAuditChain(db, { from: "start" })).ok).toBe(true);
  });

  it("two sealers at once: each event gets exactly one position", async () => {
    const tag = uniqueSuffix();
    for (let i = 0; i < 30; i += 1) await recordAuditStandalone(db, event(`${tag}-${i}`));
    const [a, b] = await Promise.all([
      sealAuditEvents(db, { wait: true, batchSize: 7 }),
      sealAuditEvents(db, { wait: true, batchSize: 7 }),
    ]);
    expect(a.sealed + b.sealed).toBeGreaterThanOrEqual(30);
    const rows = await rowsOf(tag);
    expect(rows.every((r) => r.seq !== null)).toBe(true);
    expect(new Set(rows.map((r) => r.seq)).size).toBe(30);
    expect((await verifyAuditChain(db, { from: "start" })).ok).toBe(true);
  });

  // A PGlite socket server runs one transaction at a time (scripts/lib/pglite-server.ts): a
  // transaction held open would block the other writer. These are about PostgreSQL servers.
  it.skipIf(onEmbeddedServer)(
    "an open writer blocks neither other writers nor the sealer; it is appended when it commits",
    async () => {
      const tag = uniqueSuffix();
      let release!: () => void;
      let written!: (id: bigint) => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const inside = new Promise<bigint>((resolve) => (written = resolve));
      // A: takes an id first, commits last (sequence order is not commit order).
      const slow = db.$transaction(async (tx) => {
        const { id } = await recordAudit(tx, event(`${tag}-slow`));
        written(id);
        await held;
      });
      const slowId = await inside;
      // B: a later id, committed while A is still open.
      const fast = await recordAuditStandalone(db, event(`${tag}-fast`));
      expect(fast.id).toBeGreaterThan(slowId);
      // The sealer is not blocked by A, cannot see A's row, and seals B.
      await sealAuditEvents(db, { wait: true });
      const fastRow = await db.auditEvent.findUniqueOrThrow({ where: { id: fast.id } });
      expect(fastRow.seq).not.toBeNull();
      release();
      await slow;
      // A commits with a smaller id than an event already sealed: it is appended after it,
      // never placed before it (a sealer that chained by id would have to fork here).
      expect((await db.auditEvent.findUniqueOrThrow({ where: { id: slowId } })).seq).toBeNull();
      await sealAuditEvents(db, { wait: true });
      const slowRow = await db.auditEvent.findUniqueOrThrow({ where: { id: slowId } });
      expect(slowRow.seq).toBeGreaterThan(fastRow.seq!);
      expect((await verifyAuditChain(db, { from: "start" })).ok).toBe(true);
    },
  );

  it.skipIf(onEmbeddedServer)("the background sealer skips while another one works", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const inside = new Promise<void>((resolve) => (locked = resolve));
    const holder = db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(${AUDIT_SEAL_LOCK_KEY})::text`;
      locked();
      await held;
    });
    await inside;
    await recordAuditStandalone(db, event(uniqueSuffix()));
    expect((await sealAuditEvents(db)).sealed).toBe(0);
    release();
    await holder;
    expect((await sealAuditEvents(db)).sealed).toBeGreaterThanOrEqual(1);
  });
});

describe("append-only and tamper evidence", () => {
  it("the database refuses UPDATE, DELETE, TRUNCATE, and a second sealing", async () => {
    const { id } = await recordAuditStandalone(db, event(uniqueSuffix()));
    // Pending: only the sealer's columns may be set, nothing else.
    await expect(
      db.$executeRaw`UPDATE "AuditEvent" SET action = 'x', seq = -1, "prevHash" = 'a', hash = 'b' WHERE id = ${id}`,
    ).rejects.toThrow(/append-only/);
    await sealAuditEvents(db, { wait: true });
    await expect(
      db.$executeRaw`UPDATE "AuditEvent" SET action = 'x' WHERE id = ${id}`,
    ).rejects.toThrow(/append-only/);
    await expect(
      db.$executeRaw`UPDATE "AuditEvent" SET seq = seq + 1000000000 WHERE id = ${id}`,
    ).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`DELETE FROM "AuditEvent" WHERE id = ${id}`).rejects.toThrow(
      /append-only/,
    );
    await expect(db.$executeRaw`TRUNCATE "AuditEvent"`).rejects.toThrow(/append-only/);
    const file = join(mkdtempSync(join(tmpdir(), "tessera-anchor-")), "anchors.jsonl");
    await writeAnchor(db, (await chainHead(db))!, { file });
    await expect(db.$executeRaw`DELETE FROM "AuditAnchor"`).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`UPDATE "AuditAnchor" SET verified = true`).rejects.toThrow(
      /append-only/,
    );
    expect((await db.auditEvent.findUniqueOrThrow({ where: { id } })).action).toBe("test.event");
  });

  /** What an attacker with the table owner's rights could do: switch the triggers off, edit. */
  async function asOwner(fn: () => Promise<unknown>) {
    await db.$executeRaw`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`;
    await db.$executeRaw`ALTER TABLE "AuditAnchor" DISABLE TRIGGER USER`;
    try {
      await fn();
    } finally {
      await db.$executeRaw`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`;
      await db.$executeRaw`ALTER TABLE "AuditAnchor" ENABLE TRIGGER USER`;
    }
  }

  async function sealed(tag: string, n: number) {
    for (let i = 0; i < n; i += 1)
      await recordAuditStandalone(db, event(`${tag}-${i}`, { metadata: { amount: 10 + i } }));
    await sealAuditEvents(db, { wait: true });
    return rowsOf(tag);
  }

  it("detects an edited row (hash mismatch), and verifies again once restored", async () => {
    const [victim] = await sealed(uniqueSuffix(), 2);
    const id = victim!.id;
    try {
      await asOwner(
        () =>
          db.$executeRaw`UPDATE "AuditEvent" SET metadata = '{"amount": 1000}'::jsonb WHERE id = ${id}`,
      );
      expect(await verifyAuditChain(db, { from: "start" })).toMatchObject({
        ok: false,
        brokenId: id.toString(),
        reason: "hash_mismatch",
      });
      expect(await verifyAuditChain(db, { from: "start", batchSize: 2 })).toMatchObject({
        ok: false,
        brokenId: id.toString(),
      });
    } finally {
      await asOwner(
        () =>
          db.$executeRaw`UPDATE "AuditEvent" SET metadata = '{"amount": 10}'::jsonb WHERE id = ${id}`,
      );
    }
    expect((await verifyAuditChain(db, { from: "start" })).ok).toBe(true);
  });

  it("detects an edited row whose own hash was recomputed, at the next row (prevHash mismatch)", async () => {
    const [first, next] = await sealed(uniqueSuffix(), 2);
    const forged = computeAuditHash({
      ...first!,
      prevHash: first!.prevHash!,
      outcome: "REFUSED",
      before: null,
      after: null,
      metadata: first!.metadata as { amount: number },
    });
    try {
      await asOwner(
        () =>
          db.$executeRaw`UPDATE "AuditEvent" SET outcome = 'REFUSED', hash = ${forged} WHERE id = ${first!.id}`,
      );
      expect(await verifyAuditChain(db, { from: "start" })).toMatchObject({
        ok: false,
        brokenId: next!.id.toString(),
        reason: "prev_hash_mismatch",
      });
    } finally {
      await asOwner(
        () =>
          db.$executeRaw`UPDATE "AuditEvent" SET outcome = 'SUCCESS', hash = ${first!.hash} WHERE id = ${first!.id}`,
      );
    }
    expect((await verifyAuditChain(db, { from: "start" })).ok).toBe(true);
  });

  it("a rewrite with every later hash recomputed verifies as a chain, but not against an anchor", async () => {
    const rows = await sealed(uniqueSuffix(), 3);
    const file = join(mkdtempSync(join(tmpdir(), "tessera-anchor-")), "anchors.jsonl");
    const head = (await chainHead(db))!;
    await writeAnchor(db, head, { file });
    // The attacker rewrites the first of the three and re-chains everything after it.
    const later = await db.auditEvent.findMany({
      where: { seq: { gte: rows[0]!.seq! } },
      orderBy: { seq: "asc" },
    });
    const original = later.map((r) => ({ id: r.id, prevHash: r.prevHash!, hash: r.hash! }));
    try {
      await asOwner(async () => {
        let prev = later[0]!.prevHash!;
        for (const [i, row] of later.entries()) {
          const edited = { ...row, metadata: i === 0 ? { amount: 0 } : row.metadata };
          const hash = computeAuditHash({
            ...edited,
            prevHash: prev,
            before: row.before as null,
            after: row.after as null,
            metadata: edited.metadata as null,
          });
          await db.$executeRaw`UPDATE "AuditEvent"
            SET metadata = ${JSON.stringify(edited.metadata)}::jsonb, "prevHash" = ${prev}, hash = ${hash}
            WHERE id = ${row.id}`;
          prev = hash;
        }
        // and removes the anchors it can reach
        await db.$executeRaw`DELETE FROM "AuditAnchor" WHERE seq = ${head.seq}`;
      });
      // The links and hashes are consistent again: only the anchor file tells.
      expect(
        await verifyAuditChain(db, { from: "start", anchorFile: join(tmpdir(), "no-such-file") }),
      ).toMatchObject({ ok: true });
      expect(await verifyAuditChain(db, { from: "start", anchorFile: file })).toMatchObject({
        ok: false,
        brokenId: later[later.length - 1]!.id.toString(),
        reason: "anchor_mismatch",
      });
    } finally {
      await asOwner(async () => {
        for (const [i, o] of original.entries()) {
          const metadata = JSON.stringify(i === 0 ? rows[0]!.metadata : later[i]!.metadata);
          await db.$executeRaw`UPDATE "AuditEvent"
            SET metadata = ${metadata}::jsonb, "prevHash" = ${o.prevHash}, hash = ${o.hash}
            WHERE id = ${o.id}`;
        }
      });
    }
    expect((await verifyAuditChain(db, { from: "start", anchorFile: file })).ok).toBe(true);
  });

  it("detects the newest events deleted (truncated), from the anchor file alone", async () => {
    const rows = await sealed(uniqueSuffix(), 2);
    const file = join(mkdtempSync(join(tmpdir(), "tessera-anchor-")), "anchors.jsonl");
    const head = (await chainHead(db))!;
    expect(head.seq).toBe(rows[1]!.seq);
    await writeAnchor(db, head, { file });
    expect(readAnchorFile(await databaseIdentity(db), file)).toHaveLength(1);
    try {
      await asOwner(async () => {
        await db.$executeRaw`DELETE FROM "AuditEvent" WHERE id IN (${rows[0]!.id}, ${rows[1]!.id})`;
        await db.$executeRaw`DELETE FROM "AuditAnchor" WHERE seq >= ${rows[0]!.seq}`;
      });
      expect(await verifyAuditChain(db, { from: "start", anchorFile: file })).toMatchObject({
        ok: false,
        brokenId: `seq ${head.seq}`,
        reason: "truncated",
      });
    } finally {
      await asOwner(() =>
        db.auditEvent.createMany({
          data: rows.map((r) => ({
            ...r,
            before: undefined,
            after: undefined,
            metadata: r.metadata ?? undefined,
          })),
        }),
      );
    }
    expect((await verifyAuditChain(db, { from: "start", anchorFile: file })).ok).toBe(true);
  });

  it("ignores a forged anchor line (wrong key), another database's and a torn one", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "tessera-anchor-")), "anchors.jsonl");
    const head = (await chainHead(db))!;
    const ahead = head.seq + 100n;
    const line = (mac: string) =>
      JSON.stringify({ seq: ahead.toString(), hash: "f".repeat(64), mac, at: "x" });
    writeFileSync(
      file,
      [
        line("0".repeat(64)),
        line(anchorMac("999999999", ahead, "f".repeat(64))), // genuine, for another database
        '{"seq":',
      ].join("\n"),
    );
    expect(readAnchorFile(await databaseIdentity(db), file)).toEqual([]);
    expect((await verifyAuditChain(db, { from: "start", anchorFile: file })).ok).toBe(true);
  });

  it("verifies incrementally from the last verified checkpoint", async () => {
    await sealed(uniqueSuffix(), 3);
    const full = await verifyAuditChain(db, { from: "start" });
    expect(full.ok).toBe(true);
    if (!full.ok) return;
    await writeAnchor(db, { seq: BigInt(full.lastSeq!), hash: full.lastHash }, { verified: true });
    await sealed(uniqueSuffix(), 4);
    const next = await verifyAuditChain(db);
    expect(next).toMatchObject({ ok: true, fromSeq: full.lastSeq });
    expect(next.count).toBe(4);
    // A checkpoint whose row was rewritten (hashes recomputed) fails at once.
    const at = await db.auditEvent.findUniqueOrThrow({ where: { seq: BigInt(full.lastSeq!) } });
    try {
      await asOwner(
        () => db.$executeRaw`UPDATE "AuditEvent" SET hash = ${"e".repeat(64)} WHERE id = ${at.id}`,
      );
      expect(await verifyAuditChain(db)).toMatchObject({
        ok: false,
        brokenId: at.id.toString(),
        reason: "anchor_mismatch",
      });
    } finally {
      await asOwner(
        () => db.$executeRaw`UPDATE "AuditEvent" SET hash = ${at.hash} WHERE id = ${at.id}`,
      );
    }
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});
