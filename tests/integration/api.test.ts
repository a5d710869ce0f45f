// The REST API (lib/api, ADR 026) through its route handlers with real Requests, the real wrapper,
// database, services and audit trail: tokens in, RFC 9457 problems out, the forms' rules, the
// token's channel on every audit row, and the per-token rate limit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { API_OPERATIONS } from "@/lib/api/operations";
import { openApiDocument } from "@/lib/api/openapi";
import { routeAccess } from "@/lib/auth/permissions";
import { createTestDb } from "@/tests/support/db";
import { contextFor, makeCategory, makeUser } from "@/tests/support/factories";
import { callApi, makeApiToken, type TestToken } from "@/tests/support/api-tokens";
import { newTicket } from "@/tests/support/tickets";

const db = createTestDb();
const ROOT = join(import.meta.dirname, "..", "..");

const me = await import("@/app/api/v1/me/route");
const tickets = await import("@/app/api/v1/tickets/route");
const ticket = await import("@/app/api/v1/tickets/[number]/route");
const status = await import("@/app/api/v1/tickets/[number]/status/route");
const assign = await import("@/app/api/v1/tickets/[number]/assign/route");
const comments = await import("@/app/api/v1/tickets/[number]/comments/route");
const attachments = await import("@/app/api/v1/tickets/[number]/attachments/route");
const categories = await import("@/app/api/v1/categories/route");
const category = await import("@/app/api/v1/categories/[id]/route");
const users = await import("@/app/api/v1/users/route");
const user = await import("@/app/api/v1/users/[id]/route");
const audit = await import("@/app/api/v1/audit-events/route");
const auditOne = await import("@/app/api/v1/audit-events/[id]/route");
const openapi = await import("@/app/api/v1/openapi.json/route");

type U = Awaited<ReturnType<typeof makeUser>>;
let requester: U, other: U, tech: U, admin: U;
let reqToken: TestToken, otherToken: TestToken, techToken: TestToken, adminToken: TestToken;
let cat: { id: string };

beforeAll(async () => {
  [requester, other, tech, admin] = await Promise.all([
    makeUser(db, { role: "USER" }),
    makeUser(db, { role: "USER" }),
    makeUser(db, { role: "TECHNICIAN" }),
    makeUser(db, { role: "ADMIN" }),
  ]);
  const userScopes = ["tickets:read", "tickets:write", "categories:read"] as const;
  [reqToken, otherToken, techToken, adminToken] = await Promise.all([
    makeApiToken(db, requester.id, { scopes: userScopes }),
    makeApiToken(db, other.id, { scopes: userScopes }),
    makeApiToken(db, tech.id, { scopes: userScopes }),
    makeApiToken(db, admin.id),
  ]);
  cat = await makeCategory(db);
});

afterAll(async () => {
  await db.$disconnect();
});

const problemShape = (status: number) =>
  expect.objectContaining({
    type: expect.stringMatching(/^urn:tessera:problem:/),
    title: expect.any(String),
    status,
    instance: expect.any(String),
  });

describe("authentication", () => {
  it("answers /me for a valid token and records its last use", async () => {
    const res = await callApi(me.GET, { token: reqToken.token, path: "/me", ip: "192.0.2.10" });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: requester.id,
      role: "USER",
      kind: "PERSON",
      token: { id: reqToken.id, scopes: reqToken.scopes },
    });
    expect(res.headers.get("ratelimit-limit")).toMatch(/^\d+$/);
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: reqToken.id } });
    expect(row.lastUsedIp).toBe("192.0.2.10");
  });

  it("refuses every bad token alike (401 problem), audits the reason, ignores cookies", async () => {
    const revoked = await makeApiToken(db, requester.id, { revokedAt: new Date() });
    const expired = await makeApiToken(db, requester.id, {
      expiresAt: new Date(Date.now() - 1000),
    });
    const gone = await makeUser(db, { role: "USER", active: false });
    const inactive = await makeApiToken(db, gone.id);
    const cases: [string | null, string, Record<string, string>?][] = [
      [null, "missing", { cookie: "authjs.session-token=anything" }],
      ["tsr_pat_not-a-token", "malformed"],
      [revoked.token, "revoked"],
      [expired.token, "expired"],
      [inactive.token, "owner_inactive"],
      [`${reqToken.token.slice(0, -6)}AAAAAA`, "malformed"],
    ];
    const bodies = new Set<string>();
    for (const [token, reason, headers] of cases) {
      const requestId = `api-401-${reason}-${Math.random().toString(36).slice(2)}`;
      const res = await callApi(me.GET, { token, path: "/me", requestId, headers });
      expect(res.status, reason).toBe(401);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(res.json).toEqual(problemShape(401));
      expect(res.json!.instance).toBe(requestId);
      const { instance: _i, ...rest } = res.json!;
      bodies.add(JSON.stringify(rest));
      const events = await db.auditEvent.findMany({ where: { requestId } });
      expect(events.map((e) => [e.action, e.outcome, e.actorId, e.metadata])).toEqual([
        ["api.me.get", "REFUSED", null, { reason }],
      ]);
    }
    expect(bodies.size, "the answer never says why").toBe(1);
  });

  it("is public to the edge's route table (the wrapper authenticates), and only /api/v1", () => {
    expect(routeAccess("/api/v1/tickets")).toBe("public");
    expect(routeAccess("/api/v1")).toBe("public");
    expect(routeAccess("/api/v10/tickets")).toBe("signed-in");
  });

  it("refuses a token whose owner was demoted below its scopes", async () => {
    const demoted = await makeUser(db, { role: "ADMIN" });
    const token = await makeApiToken(db, demoted.id, { scopes: ["users:read"] });
    await db.user.update({ where: { id: demoted.id }, data: { role: "USER" } });
    const res = await callApi(users.GET, { token: token.token, path: "/users" });
    expect(res.status).toBe(401);
  });
});

describe("scopes and permissions", () => {
  it("403 without the scope (audited with the token's channel), 2xx with it", async () => {
    const readOnly = await makeApiToken(db, tech.id, { scopes: ["tickets:read"] });
    const requestId = `api-scope-${Math.random().toString(36).slice(2)}`;
    const res = await callApi(tickets.POST, {
      token: readOnly.token,
      path: "/tickets",
      body: { title: "Printer on fire", categoryId: cat.id },
      requestId,
    });
    expect(res.status).toBe(403);
    expect(res.json).toEqual(problemShape(403));
    const events = await db.auditEvent.findMany({ where: { requestId } });
    expect(events.map((e) => [e.action, e.outcome, e.actorId, e.channel, e.metadata])).toEqual([
      ["api.tickets.create", "REFUSED", tech.id, `api:${readOnly.id}`, { reason: "missing_scope" }],
    ]);
    const list = await callApi(tickets.GET, { token: readOnly.token, path: "/tickets" });
    expect(list.status).toBe(200);
  });

  it("403 for a role without the permission even with every scope the role allows", async () => {
    const res = await callApi(tickets.GET, { token: reqToken.token, path: "/tickets" });
    expect(res.status).toBe(200);
    // A requester cannot assign (ticket:triage): refused by the permission table, audited.
    const t = await newTicket(contextFor(requester), cat.id);
    const requestId = `api-perm-${Math.random().toString(36).slice(2)}`;
    const refused = await callApi(assign.POST, {
      token: reqToken.token,
      path: `/tickets/${t.number}/assign`,
      params: { number: String(t.number) },
      body: { version: t.version, assigneeId: tech.id },
      requestId,
    });
    expect(refused.status).toBe(403);
    const events = await db.auditEvent.findMany({ where: { requestId } });
    expect(events.map((e) => [e.action, e.outcome, e.channel])).toEqual([
      ["api.tickets.assign", "REFUSED", `api:${reqToken.id}`],
    ]);
  });
});

describe("tickets", () => {
  it("creates, reads, edits, triages, assigns, moves and comments, audited with the channel", async () => {
    const created = await callApi(tickets.POST, {
      token: reqToken.token,
      path: "/tickets",
      body: { title: "VPN drops every hour", description: "Since Monday.", categoryId: cat.id },
    });
    expect(created.status).toBe(201);
    const { number, id, version } = created.json as { number: number; id: string; version: number };
    const p = { number: String(number) };

    const got = await callApi(ticket.GET, {
      token: reqToken.token,
      path: `/tickets/${number}`,
      params: p,
    });
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({
      id,
      number,
      title: "VPN drops every hour",
      description: "Since Monday.",
    });
    expect(got.json).not.toHaveProperty("comments");

    // The requester edits the title only: the description is kept (not emptied).
    const edited = await callApi(ticket.PATCH, {
      token: reqToken.token,
      method: "PATCH",
      path: `/tickets/${number}`,
      params: p,
      body: { version, title: "VPN drops every hour (office)" },
    });
    expect(edited.status, JSON.stringify(edited.json)).toBe(200);
    const row = await db.ticket.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      title: "VPN drops every hour (office)",
      description: "Since Monday.",
    });

    // A stale version is a conflict.
    const stale = await callApi(ticket.PATCH, {
      token: reqToken.token,
      method: "PATCH",
      path: `/tickets/${number}`,
      params: p,
      body: { version, title: "Another title" },
    });
    expect(stale.status).toBe(409);
    expect(stale.json).toEqual(problemShape(409));

    // A requester may not set a priority (triage): 403.
    const v1 = (edited.json as { version: number }).version;
    const pr = await callApi(ticket.PATCH, {
      token: reqToken.token,
      method: "PATCH",
      path: `/tickets/${number}`,
      params: p,
      body: { version: v1, priority: "URGENT" },
    });
    expect(pr.status).toBe(403);

    // Staff: priority, assign, a note, a reply, a status move.
    const triaged = await callApi(ticket.PATCH, {
      token: techToken.token,
      method: "PATCH",
      path: `/tickets/${number}`,
      params: p,
      body: { version: v1, priority: "HIGH" },
    });
    expect(triaged.status, JSON.stringify(triaged.json)).toBe(200);
    const assigned = await callApi(assign.POST, {
      token: techToken.token,
      path: `/tickets/${number}/assign`,
      params: p,
      body: { version: (triaged.json as { version: number }).version, assigneeId: tech.id },
    });
    expect(assigned.status, JSON.stringify(assigned.json)).toBe(200);
    const note = await callApi(comments.POST, {
      token: techToken.token,
      path: `/tickets/${number}/comments`,
      params: p,
      body: { body: "Checked the firewall: fine.", internal: true },
    });
    expect(note.status, JSON.stringify(note.json)).toBe(201);
    const reply = await callApi(comments.POST, {
      token: techToken.token,
      path: `/tickets/${number}/comments`,
      params: p,
      body: { body: "Could you send the client log?" },
    });
    expect(reply.status).toBe(201);
    const moved = await callApi(status.POST, {
      token: techToken.token,
      path: `/tickets/${number}/status`,
      params: p,
      body: {
        version: (reply.json as { ticket: { version: number } }).ticket.version,
        status: "ON_HOLD",
      },
    });
    expect(moved.status, JSON.stringify(moved.json)).toBe(200);
    expect(moved.json).toMatchObject({ status: "ON_HOLD" });

    // Requesters never see notes; staff do.
    const theirs = await callApi(comments.GET, {
      token: reqToken.token,
      path: `/tickets/${number}/comments`,
      params: p,
    });
    expect((theirs.json!.items as { body: string }[]).map((c) => c.body)).toEqual([
      "Could you send the client log?",
    ]);
    const staff = await callApi(comments.GET, {
      token: techToken.token,
      path: `/tickets/${number}/comments`,
      params: p,
    });
    expect((staff.json!.items as { internal: boolean }[]).map((c) => c.internal)).toEqual([
      true,
      false,
    ]);
    // A requester cannot write a note.
    const noNote = await callApi(comments.POST, {
      token: reqToken.token,
      path: `/tickets/${number}/comments`,
      params: p,
      body: { body: "sneaky", internal: true },
    });
    expect(noNote.status).toBe(403);

    const files = await callApi(attachments.GET, {
      token: reqToken.token,
      path: `/tickets/${number}/attachments`,
      params: p,
    });
    expect(files).toMatchObject({ status: 200, json: { items: [] } });

    // Every write is in the audit trail with the token that made it.
    const events = await db.auditEvent.findMany({
      where: { entityType: "Ticket", entityId: id, outcome: "SUCCESS" },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => [e.action, e.channel])).toEqual([
      ["ticket.create", `api:${reqToken.id}`],
      ["ticket.edit", `api:${reqToken.id}`],
      ["ticket.priority", `api:${techToken.id}`],
      // Assigning oneself is "take", and it opens a NEW ticket.
      ["ticket.take", `api:${techToken.id}`],
      ["ticket.status", `api:${techToken.id}`],
      ["ticket.note", `api:${techToken.id}`],
      ["ticket.reply", `api:${techToken.id}`],
      ["ticket.status", `api:${techToken.id}`],
    ]);
  });

  it("never shows another requester's ticket or its parts (404, same as unknown)", async () => {
    const t = await newTicket(contextFor(requester), cat.id);
    const p = { number: String(t.number) };
    const unknown = { number: "2147483000" };
    for (const [h, path, params] of [
      [ticket.GET, `/tickets/${t.number}`, p],
      [comments.GET, `/tickets/${t.number}/comments`, p],
      [attachments.GET, `/tickets/${t.number}/attachments`, p],
      [ticket.GET, `/tickets/2147483000`, unknown],
    ] as const) {
      const res = await callApi(h, { token: otherToken.token, path, params });
      expect(res.status, path).toBe(404);
      expect(res.json).toEqual(problemShape(404));
    }
    const requestId = `api-idor-${Math.random().toString(36).slice(2)}`;
    const write = await callApi(comments.POST, {
      token: otherToken.token,
      path: `/tickets/${t.number}/comments`,
      params: p,
      body: { body: "hello from B" },
      requestId,
    });
    expect(write.status).toBe(404);
    expect(await db.ticketComment.count({ where: { ticketId: t.id } })).toBe(0);
    const list = await callApi(tickets.GET, {
      token: otherToken.token,
      path: `/tickets?q=${encodeURIComponent(t.number.toString())}`,
    });
    expect((list.json!.items as { id: string }[]).map((i) => i.id)).not.toContain(t.id);
  });

  it("lists with the queues' filters and keyset cursor", async () => {
    const c = await makeCategory(db);
    for (let i = 0; i < 3; i++)
      await newTicket(contextFor(requester), c.id, { title: `Listing ${i} item` });
    const first = await callApi(tickets.GET, {
      token: techToken.token,
      path: `/tickets?category=${c.id}&limit=2&sort=oldest`,
    });
    expect(first.status).toBe(200);
    const items = first.json!.items as { title: string }[];
    expect(items.map((i) => i.title)).toEqual(["Listing 0 item", "Listing 1 item"]);
    const cursor = first.json!.nextCursor as string;
    const second = await callApi(tickets.GET, {
      token: techToken.token,
      path: `/tickets?category=${c.id}&limit=2&sort=oldest&cursor=${encodeURIComponent(cursor)}`,
    });
    expect((second.json!.items as { title: string }[]).map((i) => i.title)).toEqual([
      "Listing 2 item",
    ]);
    expect(second.json!.nextCursor).toBeNull();
    const bad = await callApi(tickets.GET, {
      token: techToken.token,
      path: "/tickets?status=MELTING&color=red",
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json!.errors as object).sort()).toEqual(["", "status.0"].sort());
  });

  it("validates bodies with the form's schema (422 with field errors), 400/413/415", async () => {
    const res = await callApi(tickets.POST, {
      token: reqToken.token,
      path: "/tickets",
      body: { title: "x", categoryId: cat.id },
    });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ status: 422, errors: { title: ["At least 3 characters."] } });
    const notJson = await callApi(tickets.POST, {
      token: reqToken.token,
      path: "/tickets",
      rawBody: { text: "{not json", contentType: "application/json" },
    });
    expect(notJson.status).toBe(400);
    const form = await callApi(tickets.POST, {
      token: reqToken.token,
      path: "/tickets",
      rawBody: { text: "title=abc", contentType: "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    const huge = await callApi(tickets.POST, {
      token: reqToken.token,
      path: "/tickets",
      rawBody: {
        text: JSON.stringify({ title: "x".repeat(300_000) }),
        contentType: "application/json",
      },
    });
    expect(huge.status).toBe(413);
  });
});

describe("admin areas", () => {
  it("categories: anyone with categories:read lists, admins create and change", async () => {
    const archived = await makeCategory(db, { archived: true });
    const asUser = await callApi(categories.GET, { token: reqToken.token, path: "/categories" });
    expect(asUser.status).toBe(200);
    const ids = (asUser.json!.items as { id: string }[]).map((c) => c.id);
    expect(ids).toContain(cat.id);
    expect(ids).not.toContain(archived.id);
    const asAdmin = await callApi(categories.GET, { token: adminToken.token, path: "/categories" });
    expect((asAdmin.json!.items as { id: string }[]).map((c) => c.id)).toContain(archived.id);

    const created = await callApi(categories.POST, {
      token: adminToken.token,
      path: "/categories",
      body: { name: `API category ${Date.now()}` },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const cid = (created.json as { id: string }).id;
    const renamed = await callApi(category.PATCH, {
      token: adminToken.token,
      method: "PATCH",
      path: `/categories/${cid}`,
      params: { id: cid },
      body: { name: `Renamed ${Date.now()}`, archived: true },
    });
    expect(renamed.status, JSON.stringify(renamed.json)).toBe(200);
    expect(renamed.json).toMatchObject({ archived: true });
    const events = await db.auditEvent.findMany({
      where: { entityType: "Category", entityId: cid },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => e.channel)).toEqual(events.map(() => `api:${adminToken.id}`));
    expect(events.length).toBe(3);
    // A technician's token cannot hold categories:write; a requester's lacks the scope.
    const refused = await callApi(categories.POST, {
      token: reqToken.token,
      path: "/categories",
      body: { name: "Nope" },
    });
    expect(refused.status).toBe(403);
  });

  it("users: list, read, create (one-time password once), change role and deactivate; never grant admin", async () => {
    const list = await callApi(users.GET, {
      token: adminToken.token,
      path: `/users?q=${encodeURIComponent(requester.email)}`,
    });
    expect(list.status).toBe(200);
    expect((list.json!.items as { id: string }[]).map((u) => u.id)).toEqual([requester.id]);
    expect(JSON.stringify(list.json)).not.toMatch(/passwordHash|mfaSecret/);
    const one = await callApi(user.GET, {
      token: adminToken.token,
      path: `/users/${tech.id}`,
      params: { id: tech.id },
    });
    expect(one.json).toMatchObject({
      id: tech.id,
      role: "TECHNICIAN",
      kind: "PERSON",
      mfaEnabled: true,
    });
    const missing = await callApi(user.GET, {
      token: adminToken.token,
      path: "/users/nope",
      params: { id: "nope" },
    });
    expect(missing.status).toBe(404);
    const created = await callApi(users.POST, {
      token: adminToken.token,
      path: "/users",
      body: { email: `api-${Date.now()}@example.test`, name: "Api Made", role: "USER" },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json).toMatchObject({ oneTimePassword: expect.any(String) });
    // A "users:write" token stands in for the fresh password confirmation (its creation needed
    // one): an HR integration changes roles and deactivates. Granting admin needs a browser.
    const madeId = (created.json as { id: string }).id;
    const patch = (body: Record<string, unknown>) =>
      callApi(user.PATCH, {
        token: adminToken.token,
        method: "PATCH",
        path: `/users/${madeId}`,
        params: { id: madeId },
        body,
      });
    const role = await patch({ role: "TECHNICIAN" });
    expect(role.status, JSON.stringify(role.json)).toBe(200);
    expect(role.json).toEqual({ id: madeId, changed: true });
    const promote = await patch({ role: "ADMIN" });
    expect(promote.status).toBe(403);
    expect(promote.json).toMatchObject({ detail: expect.stringMatching(/Confirm your password/) });
    const off = await patch({ active: false });
    expect(off.status).toBe(200);
    const row = await db.user.findUniqueOrThrow({ where: { id: madeId } });
    expect(row).toMatchObject({ role: "TECHNICIAN", active: false });
    const events = await db.auditEvent.findMany({
      where: { entityId: madeId, action: { in: ["user.role_change", "user.deactivate"] } },
      select: { action: true, channel: true },
    });
    expect(events.map((e) => e.channel)).toEqual([`api:${adminToken.id}`, `api:${adminToken.id}`]);
    // Without "users:write" (only "users:read"), the same change is refused by the scope.
    const reader = await makeApiToken(db, admin.id, { scopes: ["users:read"] });
    const refused = await callApi(user.PATCH, {
      token: reader.token,
      method: "PATCH",
      path: `/users/${madeId}`,
      params: { id: madeId },
      body: { active: true },
    });
    expect(refused.status).toBe(403);
    const asUser = await callApi(users.GET, { token: reqToken.token, path: "/users" });
    expect(asUser.status).toBe(403);
  });

  it("audit events: filtered keyset list with the channel, one event by id", async () => {
    const list = await callApi(audit.GET, {
      token: adminToken.token,
      path: `/audit-events?actor=${encodeURIComponent(requester.email)}&action=ticket.create`,
    });
    expect(list.status, JSON.stringify(list.json)).toBe(200);
    const items = list.json!.items as { id: string; channel: string | null; action: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((e) => e.action === "ticket.create")).toBe(true);
    expect(items.some((e) => e.channel === `api:${reqToken.id}`)).toBe(true);
    const one = await callApi(auditOne.GET, {
      token: adminToken.token,
      path: `/audit-events/${items[0]!.id}`,
      params: { id: items[0]!.id },
    });
    expect(one.json).toMatchObject({ id: items[0]!.id, action: "ticket.create" });
    const refused = await callApi(audit.GET, { token: techToken.token, path: "/audit-events" });
    expect(refused.status).toBe(403);
  });
});

describe("rate limit", () => {
  it("answers 429 with Retry-After after the limit, per token (not per address)", async () => {
    const previous = process.env.RATE_LIMIT_API_PER_MINUTE;
    process.env.RATE_LIMIT_API_PER_MINUTE = "3";
    try {
      const a = await makeApiToken(db, requester.id, { scopes: ["tickets:read"] });
      const b = await makeApiToken(db, requester.id, { scopes: ["tickets:read"] });
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof callApi>> | null = null;
      for (let i = 0; i < 4; i++) {
        // A different address each time: the limit follows the token.
        last = await callApi(me.GET, { token: a.token, path: "/me" });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(last!.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(last!.headers.get("ratelimit-remaining")).toBe("0");
      expect(last!.json).toEqual(problemShape(429));
      expect((await callApi(me.GET, { token: b.token, path: "/me" })).status).toBe(200);
    } finally {
      if (previous === undefined) delete process.env.RATE_LIMIT_API_PER_MINUTE;
      else process.env.RATE_LIMIT_API_PER_MINUTE = previous;
    }
  });
});

describe("OpenAPI", () => {
  function routeFiles(): string[] {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name === "route.ts") found.push(path);
      }
    };
    walk(join(ROOT, "app", "api", "v1"));
    return found;
  }

  it("documents every exported method of every app/api/v1 route, and nothing else", async () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
    const exported: string[] = [];
    for (const file of routeFiles()) {
      const path = relative(join(ROOT, "app", "api", "v1"), file)
        .replace(/\/?route\.ts$/, "")
        .replace(/\[(\w+)\]/g, "{$1}");
      const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        if (typeof mod[method] === "function") exported.push(`${method} /${path}`);
      }
      // Each handler names its operation: the source uses API_OPERATIONS[...] for its methods.
      if (!path.startsWith("openapi")) expect(readFileSync(file, "utf8")).toMatch(/apiRoute\(/);
    }
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(exported.sort()).toEqual(documented.sort());
    expect(Object.keys(API_OPERATIONS).length + 1).toBe(documented.length);
  });

  it("is a valid OpenAPI 3.1 document, served publicly", async () => {
    const { validate } = await import("@readme/openapi-parser");
    const res = await openapi.GET();
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc.openapi).toBe("3.1.0");
    const result = await validate(structuredClone(doc) as never);
    expect(result, JSON.stringify(result).slice(0, 2000)).toMatchObject({ valid: true });
    // And it can fail: a broken document is reported.
    const broken = structuredClone(doc) as { paths: Record<string, unknown> };
    broken.paths["/me"] = { get: { responses: "nope" } };
    expect((await validate(broken as never)).valid).toBe(false);
  });
});
