import { createServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";
import { destinationsFromEnv } from "@/lib/outbox/destinations";
import { createOutboxWorker, type OutboxWorker } from "@/lib/outbox/worker";
import type { SecurityEventPayload } from "@/lib/outbox/types";

// The durable outbox against the real database and real local receivers: an HTTP SIEM endpoint
// and a Slack-style webhook on 127.0.0.1 that start DOWN, come up later, or answer slowly.

const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));

// Two clients = two app instances sharing one database.
const db1 = createTestDb();
const db2 = createTestDb();

type Received = { path: string; body: unknown };

class Receiver {
  received: Received[] = [];
  delayMs = 0;
  private server: Server | undefined;
  constructor(readonly port: number) {}
  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const reply = () => {
          this.received.push({
            path: req.url ?? "",
            body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
          });
          res.writeHead(200, { "content-type": "text/plain" }).end("ok");
        };
        if (this.delayMs) setTimeout(reply, this.delayMs);
        else reply();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
  }
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function freePort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function pending(): Promise<number> {
  return db1.securityOutbox.count({ where: { deliveredAt: null } });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("condition not met in time");
}

const FAST_RETRY = { baseMs: 100, maxMs: 400, jitter: 0 };
let workers: OutboxWorker[] = [];
let receiver: Receiver;

async function useDestinations() {
  const port = await freePort();
  process.env.TESSERA_SIEM_URL = `http://127.0.0.1:${port}/siem`;
  process.env.TESSERA_SLACK_WEBHOOK_URL = `http://127.0.0.1:${port}/slack/T000/B000/secret`;
  receiver = new Receiver(port);
}

function worker(db: typeof db1, options: { timeoutMs?: number; batchSize?: number } = {}) {
  const w = createOutboxWorker({
    db,
    destinations: destinationsFromEnv(),
    pollMs: 50,
    batchSize: options.batchSize ?? 7,
    // Generous: a send that times out after the receiver accepted it is legitimately sent again
    // (at-least-once), which would make "exactly once" flaky on a busy 2-core machine.
    timeoutMs: options.timeoutMs ?? 8_000,
    backoff: FAST_RETRY,
  });
  workers.push(w);
  return w;
}

const { securityEvent } = await import("@/lib/security/events");
const { db } = await import("@/lib/db");

beforeEach(async () => {
  await db1.securityOutbox.deleteMany();
  await useDestinations();
});

afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  workers = [];
  await receiver.stop();
  delete process.env.TESSERA_SIEM_URL;
  delete process.env.TESSERA_SLACK_WEBHOOK_URL;
});

afterAll(async () => {
  await db1.$disconnect();
  await db2.$disconnect();
});

describe("security event outbox", () => {
  it("loses nothing while the receiver is down and delivers each event once per destination after", async () => {
    const sent: string[] = [];
    for (let seq = 0; seq < 25; seq++) {
      const event = await securityEvent("auth.sign_in_failures", { seq, failures: 5 });
      sent.push(event.id);
    }
    // Written in the transaction of the change they report...
    for (let seq = 25; seq < 30; seq++) {
      await db.$transaction(async (tx) => {
        const event = await securityEvent("user.role_changed", { seq }, { tx });
        sent.push(event.id);
      });
    }
    // ...so a rolled-back change sends nothing.
    await expect(
      db.$transaction(async (tx) => {
        await securityEvent("user.deactivated", { seq: 999 }, { tx });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await pending()).toBe(60);

    // Receiver DOWN: two instances try; everything fails and stays queued with its error.
    const a = worker(db1);
    const b = worker(db2);
    for (let round = 0; round < 3; round++) {
      await Promise.all([a.runOnce(), b.runOnce()]);
    }
    expect(receiver.received).toHaveLength(0);
    expect(await pending()).toBe(60);
    const failed = await db1.securityOutbox.findFirst({ where: { attempts: { gt: 0 } } });
    expect(failed?.lastError).toMatch(/fetch failed|ECONNREFUSED/i);
    const leaked = await db1.securityOutbox.findMany({ select: { lastError: true } });
    expect(leaked.some((r) => r.lastError?.includes("secret"))).toBe(false);

    // Receiver UP: both instances run their loops concurrently until the queue is empty.
    await receiver.start();
    a.start();
    b.start();
    await waitFor(async () => (await pending()) === 0, 20_000);

    const siem = receiver.received.filter((r) => r.path === "/siem");
    const slack = receiver.received.filter((r) => r.path.startsWith("/slack/"));
    const siemIds = siem.map((r) => (r.body as SecurityEventPayload).id).sort();
    expect(siemIds).toEqual([...sent].sort()); // each exactly once, the rolled-back one absent
    expect(slack).toHaveLength(30);
    const seqs = slack
      .map((r) => /seq=(\d+)/.exec((r.body as { text: string }).text)?.[1])
      .map(Number)
      .sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const retried = await db1.securityOutbox.count({ where: { attempts: { gte: 2 } } });
    expect(retried).toBeGreaterThan(0);
  });

  it("a slow receiver never slows the caller, and a stalled send times out and is retried", async () => {
    receiver.delayMs = 3_000;
    await receiver.start();
    const started = performance.now();
    for (let seq = 0; seq < 5; seq++) await securityEvent("access.refused", { seq });
    const callerMs = performance.now() - started;
    expect(callerMs).toBeLessThan(1_000); // 5 inserts, no network

    const w = worker(db1, { timeoutMs: 300, batchSize: 20 });
    const round = performance.now();
    const result = await w.runOnce();
    expect(performance.now() - round).toBeLessThan(2_000);
    expect(result).toEqual({ delivered: 0, failed: 10 });
    const row = await db1.securityOutbox.findFirstOrThrow({ where: { deliveredAt: null } });
    expect(row.lastError).toMatch(/timeout/);

    receiver.delayMs = 0;
    w.start();
    await waitFor(async () => (await pending()) === 0, 10_000);
  });

  it("redacts secrets in what it sends and logs", async () => {
    const event = await securityEvent("auth.mfa_changed", {
      change: "enrolled",
      code: "123456",
      password: "hunter2hunter2",
    });
    expect(event.fields).toMatchObject({ change: "enrolled", code: "[redacted]" });
    const row = await db1.securityOutbox.findFirstOrThrow({ where: { destination: "siem" } });
    expect(JSON.stringify(row.payload)).not.toMatch(/123456|hunter2/);
  });

  it("queues nothing when no destination is configured", async () => {
    delete process.env.TESSERA_SIEM_URL;
    delete process.env.TESSERA_SLACK_WEBHOOK_URL;
    await securityEvent("access.refused", { action: "x" });
    expect(await db1.securityOutbox.count()).toBe(0);
  });

  it("refused actions (lib/action.ts) queue an access.refused event with their audit row", async () => {
    const { z } = await import("zod");
    const { defineAction } = await import("@/lib/action");
    await actAs(state, null, { requestId: "outbox-refusal-test" });
    const action = defineAction({
      name: "test.outbox_refusal",
      schema: z.object({}),
      permission: "user:manage",
      handler: async () => "never",
    });
    const result = await action({});
    expect(result.ok).toBe(false);
    const rows = await db1.securityOutbox.findMany({ where: { eventType: "access.refused" } });
    expect(rows.map((r) => r.destination).sort()).toEqual(["siem", "slack"]);
    expect(rows[0]!.payload).toMatchObject({
      fields: { action: "test.outbox_refusal", reason: "unauthenticated" },
    });
    const audit = await db1.auditEvent.findFirst({
      where: { requestId: "outbox-refusal-test", outcome: "REFUSED" },
    });
    expect(audit).not.toBeNull();
  });
});
