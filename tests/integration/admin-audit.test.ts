import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { recordAuditStandalone } from "@/lib/audit";
import { createTestDb } from "@/tests/support/db";
import { makeCategory, makeUser, uniqueSuffix } from "@/tests/support/factories";
import { actAs, formPost, nextHeadersMock, type RequestState } from "@/tests/support/request";

const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { listAuditEvents, getAuditEvent, AUDIT_PAGE_SIZE } = await import("@/lib/audit/queries");
const { parseAuditFilters } = await import("@/lib/audit/filters");
const { verifyAuditIntegrityAction } = await import("@/lib/audit/actions");
const exportRoute = await import("@/app/(app)/admin/audit/export/route");

const db = createTestDb();
afterAll(() => db.$disconnect());
beforeEach(() => {
  process.env.AUTH_TRUST_HOST = "true";
});

type Made = Awaited<ReturnType<typeof makeUser>>;

/** A small, tagged history: the tag is in every event's entityId, so `q=tag` selects them. */
async function seedHistory(actor: Made, tag: string) {
  const ev = (n: number, extra: Partial<Parameters<typeof recordAuditStandalone>[1]>) =>
    recordAuditStandalone(db, {
      action: "test.audit_viewer",
      entityType: "Widget",
      entityId: `${tag}-${n}`,
      outcome: "SUCCESS",
      actor,
      context: { ip: "192.0.2.10", userAgent: "vitest", requestId: `req-${tag}-${n}` },
      ...extra,
    });
  await ev(1, { before: { name: "old" }, after: { name: "new" } });
  await ev(2, { outcome: "REFUSED", context: { ip: "192.0.2.99" } });
  await ev(3, { actor: null, metadata: { email: '=HYPERLINK("http://evil.example","x")' } });
  await ev(4, {
    action: "test.audit_other",
    metadata: { note: "100% _literal_" },
  });
  await ev(5, { outcome: "FAILED", after: { title: "@SUM(A1:A9)", text: "-2+3" } });
}

describe("audit viewer queries", () => {
  it("filters by actor, action, entity, outcome, ip, date range and free text", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    const viewer = admin;
    const tag = `t${uniqueSuffix()}`;
    await seedHistory(admin, tag);
    const ids = async (params: Record<string, string>) =>
      (await listAuditEvents(viewer, parseAuditFilters({ q: tag, ...params }))).events
        .map((e) => e.entityId)
        .sort();
    const all = [1, 2, 3, 4, 5].map((n) => `${tag}-${n}`);
    expect(await ids({})).toEqual(all);
    expect(await ids({ actor: admin.email.toUpperCase() })).toEqual(all.filter((_, i) => i !== 2));
    expect(await ids({ actor: admin.id, outcome: "REFUSED" })).toEqual([`${tag}-2`]);
    expect(await ids({ actor: "system" })).toEqual([`${tag}-3`]);
    expect(await ids({ actor: "nobody@example.test" })).toEqual([]);
    expect(await ids({ action: "test.audit_other" })).toEqual([`${tag}-4`]);
    // Action and object type match partial, case-insensitive text ("ticket" finds ticket.*).
    expect(await ids({ action: "AUDIT_OTH" })).toEqual([`${tag}-4`]);
    expect(await ids({ action: "test.audit" })).toEqual(all);
    expect(await ids({ action: "no.such_action" })).toEqual([]);
    expect(await ids({ entityType: "widg", entityId: `${tag}-5` })).toEqual([`${tag}-5`]);
    expect(await ids({ entityType: "Widget", entityId: `${tag}-5` })).toEqual([`${tag}-5`]);
    expect(await ids({ outcome: "FAILED" })).toEqual([`${tag}-5`]);
    expect(await ids({ ip: "192.0.2.99" })).toEqual([`${tag}-2`]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await ids({ from: today, to: today })).toEqual(all);
    expect(await ids({ to: "2000-01-01" })).toEqual([]);
    // Free text reaches into the JSON, and LIKE wildcards in it are literal.
    const q = async (text: string) =>
      (
        await listAuditEvents(viewer, parseAuditFilters({ q: text, action: "test.audit_other" }))
      ).events
        .filter((e) => e.entityId?.startsWith(tag))
        .map((e) => e.entityId);
    expect(await q("100% _literal_")).toEqual([`${tag}-4`]);
    expect(await q("100%_l")).toEqual([]);
  });

  it("pages with a keyset cursor and refuses non-admins", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    const viewer = admin;
    const tag = `p${uniqueSuffix()}`;
    for (let i = 0; i < AUDIT_PAGE_SIZE + 3; i += 1) {
      await recordAuditStandalone(db, {
        action: "test.page",
        entityType: "Widget",
        entityId: `${tag}-${i}`,
        outcome: "SUCCESS",
      });
    }
    const first = await listAuditEvents(viewer, { q: tag });
    expect(first.events).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first.nextBefore).not.toBeNull();
    const second = await listAuditEvents(viewer, { q: tag, before: first.nextBefore! });
    expect(second.events).toHaveLength(3);
    expect(second.nextBefore).toBeNull();
    expect(second.events[2]!.entityId).toBe(`${tag}-0`);
    const tech = await makeUser(db, { role: "TECHNICIAN" });
    await expect(listAuditEvents(tech)).rejects.toThrow("not allowed");
  });

  it("the event detail names its actor and object, with links", async () => {
    const admin = await makeUser(db, { role: "ADMIN", name: `Ada ${uniqueSuffix()}` });
    const { id } = await recordAuditStandalone(db, {
      action: "user.test",
      actor: admin,
      entityType: "User",
      entityId: admin.id,
      outcome: "SUCCESS",
    });
    const detail = await getAuditEvent(admin, id);
    const named = { label: `User ${admin.name}`, href: `/admin/users/${admin.id}` };
    expect(detail).toMatchObject({ actor: named, object: named });
    expect(detail?.event.id).toBe(id);
  });

  it("names users, tickets and categories of a whole page in one query (no N+1)", async () => {
    const admin = await makeUser(db, { role: "ADMIN", name: `Ada Admin ${uniqueSuffix()}` });
    const category = await makeCategory(db, { name: `Network ${uniqueSuffix()}` });
    const tickets = await Promise.all(
      [0, 1, 2].map((n) =>
        db.ticket.create({
          data: {
            title: `Printer ${n} jams`,
            description: "x",
            categoryId: category.id,
            requesterId: admin.id,
            ...(n === 2 && { deletedAt: new Date() }),
          },
        }),
      ),
    );
    const tag = `names-${uniqueSuffix()}`;
    const ev = (entityType: string, entityId: string) =>
      recordAuditStandalone(db, {
        action: "test.audit_names",
        actor: admin,
        entityType,
        entityId,
        outcome: "SUCCESS",
        metadata: { tag },
      });
    for (const t of tickets) await ev("Ticket", t.id);
    await ev("Category", category.id);
    await ev("User", admin.id);
    await ev("Widget", `${tag}-w`);
    await ev("User", `gone-${tag}`);

    const { db: appDb } = await import("@/lib/db");
    const raw = vi.spyOn(appDb, "$queryRaw");
    try {
      const { events, names } = await listAuditEvents(admin, { q: tag });
      expect(events).toHaveLength(7);
      // The page's rows, then every name: two queries, whatever the number of rows.
      expect(raw).toHaveBeenCalledTimes(2);
      const ref = (type: string, id: string) => names[`${type}:${id}`];
      expect(ref("User", admin.id)).toEqual({
        label: `User ${admin.name}`,
        name: admin.name,
        href: `/admin/users/${admin.id}`,
        detail: null,
      });
      expect(ref("Ticket", tickets[0]!.id)).toEqual({
        label: `Ticket #${tickets[0]!.number}`,
        name: "Printer 0 jams",
        href: `/tickets/${tickets[0]!.number}`,
        detail: "Printer 0 jams",
      });
      // A deleted ticket is still named, without a link to a page that is gone.
      expect(ref("Ticket", tickets[2]!.id)).toMatchObject({
        label: `Ticket #${tickets[2]!.number}`,
        href: null,
        detail: "Printer 2 jams (deleted)",
      });
      expect(ref("Category", category.id)).toMatchObject({
        label: `Category ${category.name}`,
        href: "/admin/categories",
      });
      expect(ref("User", `gone-${tag}`)).toBeUndefined();
      expect(ref("Widget", `${tag}-w`)).toBeUndefined();
    } finally {
      raw.mockRestore();
    }
  });
});

describe("CSV export", () => {
  const EXPORT_URL = "http://localhost:3000/admin/audit/export";

  async function download(user: Made | null, query: string, requestId: string) {
    await actAs(state, user, { requestId });
    return exportRoute.POST(formPost(`${EXPORT_URL}?${query}`, state.headers));
  }

  // Issue 10 §5b: an export does work and writes an audit row; only our own page may start one.
  it("refuses GET and HEAD (a cross-site link or a HEAD) without exporting or auditing", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    const requestId = `req-export-get-${uniqueSuffix()}`;
    await actAs(state, admin, { requestId });
    const get = exportRoute.GET();
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(await get.text()).not.toContain("time_utc");
    expect(exportRoute.HEAD().status).toBe(405);
    expect(await db.auditEvent.count({ where: { requestId } })).toBe(0);
  });

  it("refuses a POST from another origin, or without an Origin, without exporting or auditing", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    const variants: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
    ];
    for (const headers of variants) {
      const requestId = `req-export-xs-${uniqueSuffix()}`;
      await actAs(state, admin, { requestId });
      const response = await exportRoute.POST(
        formPost(`${EXPORT_URL}?q=x`, state.headers, headers),
      );
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(await response.text()).not.toContain("time_utc");
      expect(await db.auditEvent.count({ where: { requestId } })).toBe(0);
    }
    const requestId = `req-export-noorigin-${uniqueSuffix()}`;
    await actAs(state, admin, { requestId });
    const bare = formPost(`${EXPORT_URL}?q=x`, state.headers);
    const headers = new Headers(bare.headers);
    headers.delete("origin");
    const response = await exportRoute.POST(
      new Request(bare.url, { method: "POST", headers, body: "q=x" }),
    );
    expect(response.status).toBe(403);
    expect(await db.auditEvent.count({ where: { requestId } })).toBe(0);
  });

  it("streams the current filter as an attachment, formulas neutralised, and audits the export", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    const tag = `c${uniqueSuffix()}`;
    await seedHistory(admin, tag);
    const requestId = `req-export-${tag}`;
    const response = await download(admin, `q=${tag}&outcome=SUCCESS`, requestId);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="tessera-audit-[\d-T]+\.csv"$/,
    );
    expect(response.body).toBeInstanceOf(ReadableStream);
    const text = await response.text();
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      '"id","time_utc","actor_id","actor_email","actor_role","action","entity_type","entity_id","outcome","ip","user_agent","request_id","before","after","metadata","prev_hash","hash"',
    );
    // SUCCESS only, newest first: 4, 3, 1 (2 is REFUSED, 5 FAILED).
    expect(lines.slice(1).map((l) => l.split('","')[7])).toEqual([
      `${tag}-4`,
      `${tag}-3`,
      `${tag}-1`,
    ]);
    // Inside a JSON cell the formula is not at the start of the cell nor after a separator.
    expect(text).toContain(`"{""email"":""=HYPERLINK(`);
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
    const [audit] = await db.auditEvent.findMany({ where: { requestId } });
    expect(audit).toMatchObject({ action: "audit.export", outcome: "SUCCESS", actorId: admin.id });
    expect(audit!.metadata).toEqual({ filters: { q: tag, outcome: "SUCCESS" } });
  });

  it("neutralises a formula at the start of a cell", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    const tag = `f${uniqueSuffix()}`;
    await recordAuditStandalone(db, {
      action: "auth.sign_in",
      entityType: "User",
      entityId: `=1+1 ${tag}`,
      outcome: "FAILED",
      context: { userAgent: "@SUM(A1)", requestId: `-${tag}` },
    });
    const text = await (await download(admin, `q=${tag}`, `req-f-${tag}`)).text();
    const cells = text.trimEnd().split("\r\n")[1]!.slice(1, -1).split('","');
    expect(cells[7]).toBe(`'=1+1 ${tag}`);
    expect(cells[10]).toBe("'@SUM(A1)");
    expect(cells[11]).toBe(`'-${tag}`);
  });

  it("refuses users, technicians and anonymous callers, audited", async () => {
    for (const role of ["USER", "TECHNICIAN", null] as const) {
      const user = role ? await makeUser(db, { role }) : null;
      const requestId = `req-export-refused-${uniqueSuffix()}`;
      const response = await download(user, "", requestId);
      expect(response.status).toBe(role ? 403 : 401);
      expect(await response.text()).not.toContain("time_utc");
      const events = await db.auditEvent.findMany({ where: { requestId } });
      // The action wrapper's refusal audit, reused: same entity and reason as any action's.
      expect(events.map((e) => [e.action, e.outcome, e.actorId, e.entityType, e.metadata])).toEqual(
        [
          [
            "audit.export",
            "REFUSED",
            user?.id ?? null,
            "Action",
            { reason: role ? "forbidden" : "unauthenticated" },
          ],
        ],
      );
    }
  });
});

describe("Verify integrity (the viewer's action)", () => {
  it("reports intact, then the first tampered event after an owner edits a row (full walk)", async () => {
    const admin = await makeUser(db, { role: "ADMIN" });
    const tag = uniqueSuffix();
    const target = await recordAuditStandalone(db, {
      action: "test.tamper",
      entityType: "Widget",
      entityId: tag,
      outcome: "REFUSED",
    });
    await actAs(state, admin);
    const intact = await verifyAuditIntegrityAction({});
    expect(intact).toMatchObject({ ok: true, data: { ok: true } });
    expect(intact.ok && intact.data.ok && intact.data.count).toBeGreaterThan(0);

    const asOwner = async (sql: () => Promise<unknown>) => {
      await db.$executeRaw`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`;
      try {
        await sql();
      } finally {
        await db.$executeRaw`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`;
      }
    };
    try {
      await asOwner(
        () => db.$executeRaw`UPDATE "AuditEvent" SET outcome = 'SUCCESS' WHERE id = ${target.id}`,
      );
      await actAs(state, admin);
      // The edit left the row's stored hash alone: only re-hashing every event finds it.
      const broken = await verifyAuditIntegrityAction({ full: true });
      expect(broken).toMatchObject({
        ok: true,
        data: {
          ok: false,
          brokenId: target.id.toString(),
          reason: "hash_mismatch",
          event: { id: target.id.toString(), action: "test.tamper" },
        },
      });
    } finally {
      await asOwner(
        () => db.$executeRaw`UPDATE "AuditEvent" SET outcome = 'REFUSED' WHERE id = ${target.id}`,
      );
    }
    await actAs(state, admin);
    expect(await verifyAuditIntegrityAction({})).toMatchObject({ ok: true, data: { ok: true } });
    // Incremental: from the checkpoint the first check recorded (the full check found a break and
    // recorded none), so it walked only the events since then.
    const again = await verifyAuditIntegrityAction({});
    expect(again).toMatchObject({ ok: true, data: { ok: true, full: false } });
    const fromSeq = again.ok && again.data.ok ? again.data.fromSeq : null;
    expect(fromSeq).not.toBeNull();
    expect(again.ok && again.data.ok && again.data.count).toBeLessThan(10);
    const checks = await db.auditEvent.findMany({
      where: { action: "audit.verify", actorId: admin.id },
      orderBy: { id: "asc" },
    });
    expect(checks.map((c) => (c.metadata as { intact: boolean }).intact)).toEqual([
      true,
      false,
      true,
      true,
    ]);
  });
});
