// The SLA escalation job (lib/sla/escalate.ts) on a database of its own: it scans every ticket,
// so exact counts need a table nobody else writes. Two app instances (two clients, two pools)
// run the same round at once, then a restarted one runs it again: every event exactly once.
// Skipped on the embedded fallback of `npm test` (no scratch databases there; CI runs it).
import { describe, expect, it } from "vitest";
import type { Db, Tx } from "@/lib/db";
import { sealAndAnchor } from "@/lib/audit/seal-job";
import { emailConfig } from "@/lib/email/config";
import { notifyFromAudit } from "@/lib/email/notify";
import { slaColumnsForNew } from "@/lib/sla/apply";
import { escalateSla } from "@/lib/sla/escalate";
import { clearSlaRules } from "@/lib/sla/rules";
import { createPrismaClient } from "@/prisma/client";
import { makeCategory, makeUser } from "@/tests/support/factories";
import { onEmbeddedServer, scratchDatabaseForFile } from "@/tests/support/scratch-db";

const MIN = 60_000;
const scratch = scratchDatabaseForFile();

/** A ticket created at `createdAt` with the default policy's due times (24/7: 240 min first
 * response, at risk from 192 min). */
async function ticketAt(client: Db, createdAt: Date, assigneeId: string | null) {
  const requester = await makeUser(client, { role: "USER" });
  const category = await makeCategory(client);
  clearSlaRules();
  const sla = await slaColumnsForNew(
    client as unknown as Tx,
    { priority: "MEDIUM", categoryId: category.id },
    createdAt,
  );
  return client.ticket.create({
    data: {
      ...sla,
      title: "Printer on fire",
      description: "Smoke.",
      categoryId: category.id,
      requesterId: requester.id,
      assigneeId,
      status: assigneeId ? "OPEN" : "NEW",
      createdAt,
    },
  });
}

const events = (client: Db, ticketId: string) =>
  client.slaEvent.findMany({
    where: { ticketId },
    orderBy: { createdAt: "asc" },
    select: { target: true, kind: true },
  });

describe.skipIf(onEmbeddedServer)("SLA escalation", () => {
  it("warns, then breaches, each once with two instances and a restart", async () => {
    // The notification job's cursor starts at the newest event (history is not mailed).
    await notifyFromAudit(scratch.db, emailConfig({}));
    const tech = await makeUser(scratch.db, { role: "TECHNICIAN" });
    const t0 = new Date(Date.now() - 200 * MIN);
    const ticket = await ticketAt(scratch.db, t0, tech.id);
    expect(ticket.slaWarnAt).toEqual(new Date(t0.getTime() + 192 * MIN));
    expect(ticket.slaDueAt).toEqual(new Date(t0.getTime() + 240 * MIN));

    const a = createPrismaClient(scratch.url);
    const b = createPrismaClient(scratch.url);
    try {
      const atRisk = new Date(t0.getTime() + 200 * MIN);
      const rounds = await Promise.all([escalateSla(a, atRisk), escalateSla(b, atRisk)]);
      expect(rounds.reduce((n, r) => n + r.events, 0)).toBe(1);
      expect(await events(scratch.db, ticket.id)).toEqual([
        { target: "FIRST_RESPONSE", kind: "WARNING" },
      ]);
      // The next look is the due time.
      const after = await scratch.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
      expect(after.slaCheckAt).toEqual(ticket.slaDueAt);
      expect(after.updatedAt).toEqual(ticket.updatedAt);
    } finally {
      await a.$disconnect();
    }

    // A restarted instance: nothing again for the same moment, then the breach once.
    const c = createPrismaClient(scratch.url);
    try {
      expect((await escalateSla(c, new Date(t0.getTime() + 201 * MIN))).events).toBe(0);
      const late = new Date(t0.getTime() + 250 * MIN);
      const rounds = await Promise.all([escalateSla(b, late), escalateSla(c, late)]);
      expect(rounds.reduce((n, r) => n + r.events, 0)).toBe(1);
      expect((await escalateSla(c, late)).events).toBe(0);
    } finally {
      await b.$disconnect();
      await c.$disconnect();
    }
    expect(await events(scratch.db, ticket.id)).toEqual([
      { target: "FIRST_RESPONSE", kind: "WARNING" },
      { target: "FIRST_RESPONSE", kind: "BREACHED" },
    ]);
    const audit = await scratch.db.auditEvent.findMany({
      where: { entityId: ticket.id, action: { startsWith: "sla." } },
      orderBy: { id: "asc" },
      select: { action: true, actorId: true, after: true },
    });
    expect(audit).toEqual([
      {
        action: "sla.warning",
        actorId: null,
        after: { target: "FIRST_RESPONSE", dueAt: ticket.slaDueAt!.toISOString() },
      },
      {
        action: "sla.breached",
        actorId: null,
        after: { target: "FIRST_RESPONSE", dueAt: ticket.slaDueAt!.toISOString() },
      },
    ]);

    // The notification job mails both to the assignee (the audit stream is sealed first).
    await sealAndAnchor(scratch.db);
    await notifyFromAudit(scratch.db, emailConfig({}));
    const mails = await scratch.db.emailMessage.findMany({
      where: { ticketId: ticket.id },
      orderBy: { id: "asc" },
      select: { kind: true, toUserId: true, text: true },
    });
    expect(mails.map((m) => [m.kind, m.toUserId])).toEqual([
      ["sla_warning", tech.id],
      ["sla_breached", tech.id],
    ]);
    expect(mails[1]!.text).toContain("missed its first response target");
  });

  it("an unassigned ticket's breach goes to the active admins", async () => {
    const admin = await makeUser(scratch.db, { role: "ADMIN" });
    const t0 = new Date(Date.now() - 300 * MIN);
    const ticket = await ticketAt(scratch.db, t0, null);
    const now = new Date(t0.getTime() + 241 * MIN);
    // The SIEM and Slack get it through the outbox (rows in the same transaction; nobody listens
    // on these ports: delivery is the outbox's own tested business).
    process.env.TESSERA_SIEM_URL = "http://127.0.0.1:9/siem";
    process.env.TESSERA_SLACK_WEBHOOK_URL = "http://127.0.0.1:9/slack/T000/B000/secret";
    try {
      // Only the breach: a target already past its due time skips the warning.
      expect((await escalateSla(scratch.db, now)).events).toBeGreaterThanOrEqual(1);
    } finally {
      delete process.env.TESSERA_SIEM_URL;
      delete process.env.TESSERA_SLACK_WEBHOOK_URL;
    }
    const outbox = await scratch.db.securityOutbox.findMany({
      where: {
        eventType: "sla.breached",
        payload: { path: ["fields", "ticketId"], equals: ticket.id },
      },
      select: { destination: true },
    });
    expect(outbox.map((o) => o.destination).sort()).toEqual(["siem", "slack"]);
    expect(await events(scratch.db, ticket.id)).toEqual([
      { target: "FIRST_RESPONSE", kind: "BREACHED" },
    ]);
    await sealAndAnchor(scratch.db);
    await notifyFromAudit(scratch.db, emailConfig({}));
    const mails = await scratch.db.emailMessage.findMany({
      where: { ticketId: ticket.id },
      select: { kind: true, toUserId: true },
    });
    expect(mails).toContainEqual({ kind: "sla_breached", toUserId: admin.id });
  });

  it("a paused ticket is not escalated", async () => {
    const tech = await makeUser(scratch.db, { role: "TECHNICIAN" });
    const t0 = new Date(Date.now() - 400 * MIN);
    const ticket = await ticketAt(scratch.db, t0, tech.id);
    await scratch.db.ticket.update({
      where: { id: ticket.id },
      data: { status: "ON_HOLD", slaPausedAt: new Date(t0.getTime() + MIN) },
    });
    await escalateSla(scratch.db, new Date(t0.getTime() + 300 * MIN));
    expect(await events(scratch.db, ticket.id)).toEqual([]);
    const after = await scratch.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(after.slaCheckAt).toBeNull();
  });
});
