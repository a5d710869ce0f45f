import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sealAuditEvents } from "@/lib/audit";
import { ValidationError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit";
import { addInternalNote, addReply } from "@/lib/tickets/comments";
import { takeTicket } from "@/lib/tickets/service";
import { deliverWebhooks, pruneDeliveries } from "@/lib/webhooks/deliver";
import { webhooksFromAudit } from "@/lib/webhooks/fanout";
import { newWebhookSecret, sealWebhookSecret } from "@/lib/webhooks/secret";
import { postWebhook, RESPONSE_EXCERPT_BYTES } from "@/lib/webhooks/send";
import {
  createWebhook,
  deleteWebhook,
  resendDelivery,
  rotateWebhookSecret,
  sendTestEvent,
  updateWebhook,
} from "@/lib/webhooks/service";
import { DestinationRefusedError, resolveDestination } from "@/lib/webhooks/ssrf";
import { verifyTesseraWebhook } from "@/docs/examples/verify-webhook.mjs";
import { createTestDb } from "@/tests/support/db";
import { makeActor, makeCategory, uniqueSuffix } from "@/tests/support/factories";
import { newTicket } from "@/tests/support/tickets";

// Issue 16 §3: signed webhooks made from the audit stream (lib/webhooks), delivered by the
// background loop's jobs to a real HTTP server on 127.0.0.1, verified with the exact code of
// docs/examples/verify-webhook.mjs.
const db = createTestDb();
const NO_WAIT = { baseMs: 0, maxMs: 0, jitter: 0 };

type Received = { path: string; headers: IncomingHttpHeaders; body: string };

/** A receiver: answers each request with the next queued status (then 200), records it. */
async function receiver() {
  const received: Received[] = [];
  const answers: { status: number; headers?: Record<string, string>; body?: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      const answer = answers.shift() ?? { status: 200, body: "ok" };
      res.writeHead(answer.status, answer.headers).end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { received, answers, port, url: `http://127.0.0.1:${port}/hook` };
}
const servers: Server[] = [];

/** What the background loop does: seal, fan out until caught up. */
async function fanOut() {
  await sealAuditEvents(db, { wait: true });
  for (;;) {
    const { events } = await webhooksFromAudit(db, "https://help.example.com");
    if (events === 0) return;
  }
}
async function deliverAll(options: Parameters<typeof deliverWebhooks>[1] = {}) {
  for (let i = 0; i < 20; i++) {
    const { succeeded, failed } = await deliverWebhooks(db, { backoff: NO_WAIT, ...options });
    if (succeeded + failed === 0) return;
  }
}
const deliveriesOf = (webhookId: string) =>
  db.webhookDelivery.findMany({ where: { webhookId }, orderBy: { createdAt: "asc" } });

let admin: Awaited<ReturnType<typeof makeActor>>;
let requester: Awaited<ReturnType<typeof makeActor>>;
let tech: Awaited<ReturnType<typeof makeActor>>;
let category: { id: string; name: string };

/** A webhook made through the service (allowPrivate: the receiver is on 127.0.0.1). */
async function hook(url: string, events: string[] = ["ticket.created"]) {
  const { id, secret } = await createWebhook(admin, {
    name: `Hook ${uniqueSuffix()}`,
    url,
    events: events as never,
    allowPrivate: true,
    active: true,
  });
  return { id, secret };
}

beforeAll(async () => {
  admin = await makeActor(db, "ADMIN");
  requester = await makeActor(db, "USER");
  tech = await makeActor(db, "TECHNICIAN");
  category = await makeCategory(db);
  // Webhooks other files left on (the access matrix's) must not be delivered to by this one.
  await db.webhook.updateMany({ data: { active: false } });
  await fanOut(); // starts the cursor at the newest event
}, 120_000);
// Deliveries of one test must not be sent by the next (the database is shared).
afterEach(() => db.webhook.updateMany({ data: { active: false } }));
afterAll(async () => {
  for (const s of servers) s.close();
  await db.$disconnect();
});

describe("delivery", () => {
  it("posts a signed ticket.created that the documented code verifies", async () => {
    const r = await receiver();
    const { id, secret } = await hook(r.url, ["ticket.created", "ticket.replied"]);
    const ticket = await newTicket(requester, category.id, { title: `Printer ${uniqueSuffix()}` });
    await fanOut();
    await deliverAll();

    expect(r.received).toHaveLength(1);
    const [got] = r.received;
    expect(got!.headers["content-type"]).toBe("application/json");
    expect(got!.headers["tessera-event"]).toBe("ticket.created");
    const [delivery] = await deliveriesOf(id);
    expect(got!.headers["tessera-delivery"]).toBe(delivery!.id);
    expect(got!.headers["tessera-signature"]).toMatch(
      new RegExp(`^t=${got!.headers["tessera-timestamp"]},v1=[0-9a-f]{64}$`),
    );
    const event = verifyTesseraWebhook(secret, got!.body, got!.headers["tessera-signature"]);
    expect(event).toMatchObject({
      id: delivery!.id,
      type: "ticket.created",
      data: {
        ticket: {
          id: ticket.id,
          number: ticket.number,
          status: "NEW",
          category: { id: category.id, name: category.name },
          requester: { id: requester.actor.id, email: requester.actor.email },
          url: `https://help.example.com/tickets/${ticket.number}`,
        },
        actor: { id: requester.actor.id },
      },
    });
    expect(Object.keys(event)).toEqual(["id", "type", "createdAt", "data"]);
    expect(delivery).toMatchObject({
      status: "SUCCEEDED",
      attempts: 1,
      lastStatusCode: 200,
      responseExcerpt: "ok",
    });

    // The same code refuses a changed body, another secret and a stale timestamp.
    const header = got!.headers["tessera-signature"];
    expect(() => verifyTesseraWebhook(secret, got!.body.replace("NEW", "OPEN"), header)).toThrow(
      "Signature does not match",
    );
    expect(() => verifyTesseraWebhook(newWebhookSecret(), got!.body, header)).toThrow(
      "Signature does not match",
    );
    expect(() => verifyTesseraWebhook(secret, got!.body, header, Date.now() + 6 * 60_000)).toThrow(
      "Timestamp outside the 5-minute window",
    );
    expect(() => verifyTesseraWebhook(secret, got!.body, "v1=abc")).toThrow("Malformed");
  });

  it("sends public replies as ticket.replied, never internal notes", async () => {
    const r = await receiver();
    const { id } = await hook(r.url, ["ticket.replied"]);
    const ticket = await newTicket(requester, category.id);
    await addInternalNote(tech, { ticketId: ticket.id, body: "SECRET-NOTE internal only" });
    await addReply(tech, { ticketId: ticket.id, body: "Public answer" });
    await fanOut();
    await deliverAll();
    const deliveries = await deliveriesOf(id);
    expect(deliveries.map((d) => d.eventType)).toEqual(["ticket.replied"]);
    expect(r.received).toHaveLength(1);
    expect(r.received[0]!.body).not.toContain("SECRET-NOTE");
    expect(JSON.parse(r.received[0]!.body).data.reply).toMatchObject({
      body: "Public answer",
      author: { id: tech.actor.id },
    });
  });

  it("retries after a 500 and then succeeds", async () => {
    const r = await receiver();
    r.answers.push({ status: 500, body: "boom" });
    const { id } = await hook(r.url);
    await newTicket(requester, category.id);
    await fanOut();
    await deliverWebhooks(db, { backoff: NO_WAIT });
    const [failed] = await deliveriesOf(id);
    expect(failed).toMatchObject({
      status: "PENDING",
      attempts: 1,
      lastStatusCode: 500,
      responseExcerpt: "boom",
    });
    expect(failed!.lastError).toContain("500");
    await deliverAll();
    const [done] = await deliveriesOf(id);
    expect(done).toMatchObject({ status: "SUCCEEDED", attempts: 2, lastStatusCode: 200 });
    expect(r.received).toHaveLength(2);
    // Each attempt signed afresh, the same delivery id both times.
    expect(new Set(r.received.map((x) => x.headers["tessera-delivery"])).size).toBe(1);
  });

  it("gives up after the last attempt: FAILED", async () => {
    const r = await receiver();
    r.answers.push({ status: 503 }, { status: 503 }, { status: 503 });
    const { id } = await hook(r.url);
    await newTicket(requester, category.id);
    await fanOut();
    await deliverAll({ maxAttempts: 3 });
    const [delivery] = await deliveriesOf(id);
    expect(delivery).toMatchObject({ status: "FAILED", attempts: 3, lastStatusCode: 503 });
    expect(r.received).toHaveLength(3);
  });

  it("does not follow a redirect: a 3xx is a failure", async () => {
    const r = await receiver();
    r.answers.push({ status: 302, headers: { Location: `http://127.0.0.1:${r.port}/elsewhere` } });
    const { id } = await hook(r.url);
    await newTicket(requester, category.id);
    await fanOut();
    await deliverWebhooks(db, { backoff: NO_WAIT });
    const [delivery] = await deliveriesOf(id);
    expect(delivery).toMatchObject({ status: "PENDING", lastStatusCode: 302 });
    expect(delivery!.lastError).toMatch(/^Redirect \(302\) not followed/);
    expect(r.received.map((x) => x.path)).toEqual(["/hook"]);
  });

  it("stops waiting at the time limit and reads only the start of a long answer", async () => {
    const silent = createServer(() => {}); // never answers
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    servers.push(silent);
    const { port } = silent.address() as AddressInfo;
    const late = await postWebhook({
      url: `http://127.0.0.1:${port}/`,
      body: "{}",
      headers: {},
      allowPrivate: true,
      timeoutMs: 300,
    });
    expect(late).toMatchObject({ ok: false, statusCode: null, error: "No answer within 0.3 s." });

    const r = await receiver();
    r.answers.push({ status: 200, body: "x".repeat(200_000) });
    const long = await postWebhook({ url: r.url, body: "{}", headers: {}, allowPrivate: true });
    expect(long).toMatchObject({ ok: true, statusCode: 200 });
    expect(long.excerpt!.length).toBeLessThanOrEqual(RESPONSE_EXCERPT_BYTES);
  });

  it("two delivery runners racing send each delivery once", async () => {
    const r = await receiver();
    const { id } = await hook(r.url);
    for (let i = 0; i < 4; i++) await newTicket(requester, category.id);
    await fanOut();
    const other = createTestDb();
    try {
      await Promise.all([deliverWebhooks(db), deliverWebhooks(other)]);
    } finally {
      await other.$disconnect();
    }
    const deliveries = await deliveriesOf(id);
    expect(deliveries.map((d) => [d.status, d.attempts])).toEqual(Array(4).fill(["SUCCEEDED", 1]));
    expect(r.received.map((x) => x.headers["tessera-delivery"]).sort()).toEqual(
      deliveries.map((d) => d.id).sort(),
    );
  });
});

describe("fan-out", () => {
  it("adds one delivery per webhook and event, with two runners racing and when run again", async () => {
    const r = await receiver();
    const first = await hook(r.url, ["ticket.created"]);
    const second = await hook(r.url, ["ticket.created", "ticket.assigned"]);
    const ticket = await newTicket(requester, category.id);
    await sealAuditEvents(db, { wait: true });
    const other = createTestDb();
    try {
      await Promise.all([
        webhooksFromAudit(db, "https://help.example.com"),
        webhooksFromAudit(other, "https://help.example.com"),
      ]);
    } finally {
      await other.$disconnect();
    }
    await fanOut();
    const count = () =>
      db.webhookDelivery.count({
        where: { webhookId: { in: [first.id, second.id] }, eventType: "ticket.created" },
      });
    expect(await count()).toBe(2);
    // Running the same events again (the cursor moved back) adds nothing: the unique key.
    const [event] = await db.auditEvent.findMany({
      where: { entityId: ticket.id, action: "ticket.create" },
    });
    await db.auditCursor.update({
      where: { name: "webhooks" },
      data: { lastId: event!.seq! - 1n },
    });
    await fanOut();
    expect(await count()).toBe(2);
  });

  it("sends assignments, status moves and SLA events with what changed", async () => {
    const r = await receiver();
    const { id } = await hook(r.url, ["ticket.assigned", "ticket.status_changed", "sla.breached"]);
    const ticket = await newTicket(requester, category.id);
    await takeTicket(tech, { ticketId: ticket.id, version: ticket.version });
    await db.$transaction((tx) =>
      recordAudit(tx, {
        actor: null,
        action: "sla.breached",
        entityType: "Ticket",
        entityId: ticket.id,
        outcome: "SUCCESS",
        after: { target: "firstResponse", dueAt: "2026-12-05T10:00:00.000Z" },
      }),
    );
    await fanOut();
    await deliverAll();
    const byType = new Map(
      r.received.map((x) => [x.headers["tessera-event"], JSON.parse(x.body).data]),
    );
    expect([...byType.keys()].sort()).toEqual([
      "sla.breached",
      "ticket.assigned",
      "ticket.status_changed",
    ]);
    expect(byType.get("ticket.assigned")).toMatchObject({
      ticket: { assignee: { id: tech.actor.id } },
      changes: {
        action: "ticket.take",
        before: { assigneeId: null },
        after: { assigneeId: tech.actor.id },
      },
      actor: { id: tech.actor.id },
    });
    expect(byType.get("ticket.status_changed").changes).toMatchObject({
      before: { status: "NEW" },
      after: { status: "OPEN" },
    });
    expect(byType.get("sla.breached")).toMatchObject({
      sla: { target: "firstResponse", dueAt: "2026-12-05T10:00:00.000Z" },
      actor: null,
    });
    expect((await deliveriesOf(id)).every((d) => d.status === "SUCCEEDED")).toBe(true);
  });

  it("skips webhooks not subscribed to the event and disabled ones", async () => {
    const r = await receiver();
    const other = await hook(r.url, ["sla.breached"]);
    const off = await hook(r.url, ["ticket.created"]);
    await db.webhook.update({ where: { id: off.id }, data: { active: false } });
    await newTicket(requester, category.id);
    await fanOut();
    expect(
      await db.webhookDelivery.count({ where: { webhookId: { in: [other.id, off.id] } } }),
    ).toBe(0);
  });
});

describe("SSRF rule", () => {
  const refused = [
    "127.0.0.1",
    "localhost",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "169.254.169.254",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "[fe80::1]",
    "[fc00::1]",
    "[::]",
    "[::ffff:169.254.169.254]",
    "[64:ff9b::7f00:1]",
  ];
  it.each(refused)("refuses %s unless private destinations are allowed", async (host) => {
    const hostname = new URL(`http://${host}/`).hostname;
    await expect(resolveDestination(hostname, false)).rejects.toBeInstanceOf(
      DestinationRefusedError,
    );
    await expect(resolveDestination(hostname, true)).resolves.toBeTruthy();
  });

  it("allows a public address", async () => {
    await expect(resolveDestination("93.184.215.14", false)).resolves.toEqual([
      { address: "93.184.215.14", family: 4 },
    ]);
    await expect(resolveDestination("[2606:4700::1]", false)).resolves.toEqual([
      { address: "2606:4700::1", family: 6 },
    ]);
  });

  it("never connects to a loopback receiver when private destinations are not allowed", async () => {
    const r = await receiver();
    for (const host of ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]"]) {
      const result = await postWebhook({
        url: `http://${host}:${r.port}/hook`,
        body: "{}",
        headers: {},
        allowPrivate: false,
      });
      expect(result).toMatchObject({ ok: false, statusCode: null });
      expect(result.error).toContain("loopback");
    }
    expect(r.received).toHaveLength(0);
    // Allowed, the same receiver is reached (localhost: the address that was checked).
    const allowed = await postWebhook({
      url: `http://localhost:${r.port}/hook`,
      body: "{}",
      headers: {},
      allowPrivate: true,
    });
    expect(allowed).toMatchObject({ ok: true, statusCode: 200 });
    expect(r.received).toHaveLength(1);
  });

  it("a delivery to a loopback webhook without the allowance fails and reaches nothing", async () => {
    const r = await receiver();
    const row = await db.webhook.create({
      data: {
        name: `Loopback ${uniqueSuffix()}`,
        url: r.url,
        events: ["ticket.created"],
        secretEncrypted: sealWebhookSecret(newWebhookSecret()),
        allowPrivate: false,
      },
    });
    await newTicket(requester, category.id);
    await fanOut();
    await deliverAll({ maxAttempts: 2 });
    const [delivery] = await deliveriesOf(row.id);
    expect(delivery).toMatchObject({ status: "FAILED", attempts: 2, lastStatusCode: null });
    expect(delivery!.lastError).toContain("loopback");
    expect(r.received).toHaveLength(0);
  });

  it("refuses a private URL at save time with an error on the URL field", async () => {
    const input = {
      name: `Private ${uniqueSuffix()}`,
      url: "http://169.254.169.254/latest/meta-data",
      events: ["ticket.created" as const],
      allowPrivate: false,
      active: true,
    };
    const error = await createWebhook(admin, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors?.url?.[0]).toContain("link-local");
    await expect(createWebhook(admin, { ...input, allowPrivate: true })).resolves.toBeTruthy();
  });
});

describe("administration", () => {
  it("audits every change without the secret; test event, send again, rotate, delete", async () => {
    const r = await receiver();
    const { id, secret } = await hook(r.url);
    await updateWebhook(admin, {
      webhookId: id,
      name: `Renamed ${uniqueSuffix()}`,
      url: r.url,
      events: ["ticket.created", "sla.breached"],
      allowPrivate: true,
      active: true,
    });
    await sendTestEvent(admin, { webhookId: id });
    await deliverAll();
    const [test] = await deliveriesOf(id);
    expect(test).toMatchObject({ eventType: "webhook.test", status: "SUCCEEDED" });
    expect(
      verifyTesseraWebhook(
        secret,
        r.received[0]!.body,
        r.received[0]!.headers["tessera-signature"],
      ),
    ).toMatchObject({ id: test!.id, type: "webhook.test" });

    const { secret: rotated } = await rotateWebhookSecret(admin, { webhookId: id });
    expect(rotated).not.toBe(secret);
    const { deliveryId } = await resendDelivery(admin, { deliveryId: test!.id });
    expect(deliveryId).not.toBe(test!.id);
    await deliverAll();
    const again = r.received[1]!;
    expect(again.headers["tessera-delivery"]).toBe(deliveryId);
    // Signed with the new secret only.
    expect(verifyTesseraWebhook(rotated, again.body, again.headers["tessera-signature"]).id).toBe(
      deliveryId,
    );
    expect(() =>
      verifyTesseraWebhook(secret, again.body, again.headers["tessera-signature"]),
    ).toThrow();
    expect((await deliveriesOf(id)).map((d) => d.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);

    await deleteWebhook(admin, { webhookId: id });
    expect(await db.webhookDelivery.count({ where: { webhookId: id } })).toBe(0);
    const events = await db.auditEvent.findMany({
      where: { entityType: "Webhook", entityId: id },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => [e.action, e.actorId, e.outcome])).toEqual(
      [
        "webhook.created",
        "webhook.updated",
        "webhook.test_sent",
        "webhook.secret_rotated",
        "webhook.delivery_resent",
        "webhook.deleted",
      ].map((a) => [a, admin.actor.id, "SUCCESS"]),
    );
    const trail = JSON.stringify(events, (_k, v) => (typeof v === "bigint" ? String(v) : v));
    expect(trail).not.toContain(secret);
    expect(trail).not.toContain(rotated);
    const stored = await db.webhook.count({ where: { secretEncrypted: { contains: "whsec_" } } });
    expect(stored).toBe(0);
  });

  it("keeps finished deliveries 30 days, pending ones until they finish", async () => {
    const r = await receiver();
    const { id } = await hook(r.url);
    const old = new Date(Date.now() - 31 * 86_400_000);
    const row = (status: "SUCCEEDED" | "FAILED" | "PENDING", createdAt: Date) => ({
      id: `prune-${status}-${createdAt.getTime()}-${uniqueSuffix()}`,
      webhookId: id,
      eventType: "webhook.test",
      payload: {},
      status,
      createdAt,
    });
    await db.webhookDelivery.createMany({
      data: [
        row("SUCCEEDED", old),
        row("FAILED", old),
        row("PENDING", old),
        row("FAILED", new Date()),
      ],
    });
    await db.webhook.update({ where: { id }, data: { active: false } }); // nothing is sent
    await pruneDeliveries(db, true);
    expect((await deliveriesOf(id)).map((d) => d.status).sort()).toEqual(["FAILED", "PENDING"]);
  });

  it("technicians and requesters cannot manage webhooks", async () => {
    for (const who of [tech, requester]) {
      await expect(
        createWebhook(who, {
          name: `Nope ${uniqueSuffix()}`,
          url: "https://example.com/hook",
          events: ["ticket.created"],
          allowPrivate: false,
          active: true,
        }),
      ).rejects.toThrow(/not allowed|forbidden/i);
    }
  });
});
