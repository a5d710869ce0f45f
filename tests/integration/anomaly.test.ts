import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { recordAuditStandalone, sealAuditEvents, type AuditInput } from "@/lib/audit";
import { makeUser, uniqueSuffix } from "@/tests/support/factories";
import { actAs, nextHeadersMock, testIp, type RequestState } from "@/tests/support/request";

// Issue 10 §6: rules over the audit stream, run by the security outbox loop's jobs. Each rule
// has a case that triggers it and one that does not; a flood raises one anomaly (and one
// `security.anomaly` alert) per window, its count growing.
const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
process.env.TESSERA_SIEM_URL = "http://127.0.0.1:9/siem"; // alerts are queued, never delivered

const { anomalyConfig, evaluateAnomalies, noteTicketRead, networkOf } =
  await import("@/lib/security/anomaly");
const { securityJobs } = await import("@/lib/security/jobs");
const { createOutboxWorker } = await import("@/lib/outbox/worker");
const { acknowledgeAnomalyAction } = await import("@/lib/security/actions");

const db = createTestDb();
const config = {
  ...anomalyConfig({}),
  sprayAccounts: 5,
  ticketReads: 5,
  ticketChanges: 5,
};

/** What the background loop does: seal the new audit events, then run the rules over them. */
async function drain() {
  await sealAuditEvents(db, { wait: true });
  for (;;) {
    const { rows } = await evaluateAnomalies(db, config);
    if (rows === 0) return;
  }
}

const anomalies = (rule: string, key: string) =>
  db.securityAnomaly.findMany({ where: { rule, key } });
async function alerts(rule: string, key: string): Promise<number> {
  const [row] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "SecurityOutbox"
     WHERE "eventType" = 'security.anomaly'
       AND "payload"->'fields'->>'rule' = ${rule}
       AND "payload"->'fields'->>'anomalyId' IN
           (SELECT "id"::text FROM "SecurityAnomaly" WHERE "rule" = ${rule} AND "key" = ${key})`;
  return Number(row!.n);
}

const audit = (event: AuditInput) => recordAuditStandalone(db, event);

beforeAll(async () => {
  process.env.AUTH_TRUST_HOST = "true";
  await drain(); // starts the cursor at the newest row
});
afterAll(() => db.$disconnect());

describe("new device or network for a staff account", () => {
  const signIn = (
    actor: { id: string; role: "ADMIN" | "TECHNICIAN" | "USER"; email: string },
    ip: string,
    ua: string,
    metadata?: object,
  ) =>
    audit({
      actor,
      action: "auth.sign_in",
      entityType: "User",
      entityId: actor.id,
      outcome: "SUCCESS",
      metadata,
      context: { ip, userAgent: ua, requestId: `req-${uniqueSuffix()}` },
    });

  it("stays quiet for the first sign-in, the same device and network, and plain users", async () => {
    const tech = await makeUser(db, { role: "TECHNICIAN" });
    await signIn(tech, "10.20.30.4", "Firefox/140");
    await signIn(tech, "10.20.30.77", "Firefox/140"); // same /24
    await signIn(tech, "10.99.0.1", "Chrome/150", { step: "password", next: "mfa" }); // not done
    const user = await makeUser(db, { role: "USER" });
    await signIn(user, "10.20.30.4", "Firefox/140");
    await signIn(user, "192.0.2.1", "Other/1");
    await drain();
    expect(await db.securityAnomaly.count({ where: { rule: "new_device", userId: tech.id } })).toBe(
      0,
    );
    expect(await db.securityAnomaly.count({ where: { rule: "new_device", userId: user.id } })).toBe(
      0,
    );
  });

  it("raises one anomaly and tells the owner for a new device, however often it signs in", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    await signIn(admin, "10.20.30.4", "Firefox/140");
    await drain();
    for (let i = 0; i < 10; i++) await signIn(admin, "203.0.113.50", "curl/8");
    await drain();
    const found = await db.securityAnomaly.findMany({
      where: { rule: "new_device", userId: admin.id },
    });
    expect(found).toHaveLength(1);
    expect(found[0]!.details).toMatchObject({ newDevice: true, newNetwork: true });
    expect(await alerts("new_device", found[0]!.key)).toBe(1);
    const notices = await db.userNotice.findMany({ where: { userId: admin.id } });
    expect(notices).toHaveLength(1);
    expect(notices[0]!.message).toMatch(/new device and network/);
  });

  it("networkOf: IPv4 /24, IPv6 /48", () => {
    expect(networkOf("192.0.2.77")).toBe("192.0.2.0/24");
    expect(networkOf("::ffff:192.0.2.77")).toBe("192.0.2.0/24");
    expect(networkOf("2001:db8:1:2::5")).toBe("2001:db8:1::/48");
    expect(networkOf(null)).toBeNull();
  });
});

describe("password spraying", () => {
  const fail = (ip: string, email: string) =>
    audit({
      action: "auth.sign_in",
      entityType: "User",
      outcome: "FAILED",
      metadata: { reason: "unknown_account", email },
      context: { ip, userAgent: "spray", requestId: `req-${uniqueSuffix()}` },
    });

  it("does not fire below the threshold of distinct accounts (many failures of one account)", async () => {
    const ip = testIp();
    for (let i = 0; i < 4; i++) await fail(ip, `victim-${i}@example.test`);
    for (let i = 0; i < 20; i++) await fail(ip, "victim-0@example.test");
    await drain();
    expect(await anomalies("password_spraying", ip)).toHaveLength(0);
  });

  it("fires once per window for failures over many accounts from one address", async () => {
    const ip = testIp();
    for (let i = 0; i < 60; i++) await fail(ip, `sprayed-${i}@example.test`);
    await drain();
    const found = await anomalies("password_spraying", ip);
    expect(found).toHaveLength(1);
    expect(found[0]!.details).toMatchObject({ ip });
    expect(await alerts("password_spraying", ip)).toBe(1);
  });
});

describe("mass ticket reads", () => {
  it("counts distinct tickets: re-reading one ticket or reading a few is quiet", async () => {
    const tech = await makeUser(db, { role: "TECHNICIAN" });
    for (let i = 0; i < 20; i++) await noteTicketRead(tech, "same-ticket", config, db);
    for (let i = 0; i < 3; i++) await noteTicketRead(tech, `t-${i}`, config, db);
    expect(await anomalies("mass_ticket_reads", tech.id)).toHaveLength(0);
  });

  it("fires once when an account opens many tickets", async () => {
    const user = await makeUser(db, { role: "USER" });
    for (let i = 0; i < 40; i++) await noteTicketRead(user, `ticket-${i}`, config, db);
    const found = await anomalies("mass_ticket_reads", user.id);
    expect(found).toHaveLength(1);
    expect(found[0]!.count).toBe(40 - config.ticketReads + 1);
    expect(await alerts("mass_ticket_reads", user.id)).toBe(1);
  });
});

describe("mass bulk changes or deletions", () => {
  const change = (
    actor: { id: string; role: "ADMIN" | "TECHNICIAN" | "USER"; email: string },
    action: string,
    bulk: boolean,
  ) =>
    audit({
      actor,
      action,
      entityType: "Ticket",
      entityId: `t-${uniqueSuffix()}`,
      outcome: "SUCCESS",
      metadata: bulk ? { bulk: true } : { number: 1 },
      context: { ip: "10.0.0.1", userAgent: "x", requestId: `req-${uniqueSuffix()}` },
    });

  it("is quiet below the threshold and for ordinary one-by-one changes", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    for (let i = 0; i < 4; i++) await change(admin, "ticket.delete", false);
    for (let i = 0; i < 20; i++) await change(admin, "ticket.priority", false);
    await drain();
    expect(await anomalies("mass_ticket_changes", admin.id)).toHaveLength(0);
  });

  it("fires once for many deletions and bulk changes", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    for (let i = 0; i < 10; i++) await change(admin, "ticket.delete", false);
    for (let i = 0; i < 30; i++) await change(admin, "ticket.status", true);
    await drain();
    expect(await anomalies("mass_ticket_changes", admin.id)).toHaveLength(1);
    expect(await alerts("mass_ticket_changes", admin.id)).toBe(1);
  });
});

describe("audit export, MFA reset, role change to admin", () => {
  it("an export raises one anomaly per window; a refused export none", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    const user = await makeUser(db, { role: "USER" });
    const ctx = { ip: "10.0.0.2", userAgent: "x", requestId: "req-export" };
    await audit({
      actor: user,
      action: "audit.export",
      entityType: "AuditEvent",
      outcome: "REFUSED",
      context: ctx,
    });
    await drain();
    expect(await anomalies("audit_export", user.id)).toHaveLength(0);
    for (let i = 0; i < 3; i++)
      await audit({
        actor: admin,
        action: "audit.export",
        entityType: "AuditEvent",
        outcome: "SUCCESS",
        context: ctx,
      });
    await drain();
    const found = await anomalies("audit_export", admin.id);
    expect(found).toHaveLength(1);
    expect(found[0]!.count).toBe(3);
    expect(await alerts("audit_export", admin.id)).toBe(1);
  });

  it("a role change to admin and an MFA reset fire; a change to technician does not", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    const target = await makeUser(db, { role: "USER" });
    const base = {
      actor: admin,
      entityType: "User",
      entityId: target.id,
      outcome: "SUCCESS" as const,
    };
    await audit({
      ...base,
      action: "user.role_change",
      before: { role: "USER" },
      after: { role: "TECHNICIAN" },
    });
    await drain();
    expect(await db.securityAnomaly.count({ where: { userId: target.id } })).toBe(0);
    await audit({
      ...base,
      action: "user.role_change",
      before: { role: "TECHNICIAN" },
      after: { role: "ADMIN" },
    });
    await audit({ ...base, action: "user.mfa_reset" });
    await drain();
    const found = await db.securityAnomaly.findMany({
      where: { userId: target.id },
      orderBy: { id: "asc" },
    });
    expect(found.map((a) => [a.rule, a.key])).toEqual([
      ["privilege_change", `role_admin:${target.id}`],
      ["privilege_change", `mfa_reset:${target.id}`],
    ]);
  });
});

describe("run by the security outbox loop, listed and acknowledged", () => {
  it("the outbox worker's jobs evaluate the rules (no second job mechanism)", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    await recordAuditStandalone(db, {
      actor: admin,
      action: "audit.export",
      entityType: "AuditEvent",
      outcome: "SUCCESS",
      context: { ip: "10.0.0.3", userAgent: "x", requestId: "req-job" },
    });
    const worker = createOutboxWorker({ db, destinations: {}, jobs: securityJobs(db) });
    await worker.runJobs();
    expect(await anomalies("audit_export", admin.id)).toHaveLength(1);
  });

  it("an admin acknowledges an anomaly (audited); a user is refused", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    const user = await makeUser(db, { role: "USER" });
    await audit({
      actor: admin,
      action: "audit.export",
      entityType: "AuditEvent",
      outcome: "SUCCESS",
      context: { ip: "10.0.0.4", userAgent: "x", requestId: "req-ack" },
    });
    await drain();
    const [anomaly] = await anomalies("audit_export", admin.id);
    const anomalyId = anomaly!.id.toString();

    await actAs(state, user);
    expect(await acknowledgeAnomalyAction({ anomalyId })).toMatchObject({ ok: false });
    await actAs(state, admin, { requestId: `req-ack-${anomalyId}` });
    expect(await acknowledgeAnomalyAction({ anomalyId })).toEqual({
      ok: true,
      data: { id: anomalyId },
    });
    const row = await db.securityAnomaly.findUniqueOrThrow({ where: { id: anomaly!.id } });
    expect(row).toMatchObject({ acknowledgedById: admin.id });
    const events = await db.auditEvent.findMany({ where: { requestId: `req-ack-${anomalyId}` } });
    expect(events.map((e) => [e.action, e.outcome, e.entityId])).toEqual([
      ["security.anomaly_ack", "SUCCESS", anomalyId],
    ]);
    await actAs(state, admin);
    expect(await acknowledgeAnomalyAction({ anomalyId })).toMatchObject({
      ok: false,
      formError: "Already acknowledged.",
    });
  });
});
