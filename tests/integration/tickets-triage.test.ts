import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { ConflictError, ValidationError } from "@/lib/errors";
import { makeActor, makeCategory, makeUser } from "@/tests/support/factories";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";
import { auditFor, newTicket } from "@/tests/support/tickets";

// Issue 11 §1: the staff ticket page's one submit. Status, priority, category, assignee and a
// reply or note go together: one transaction, one version check, one audit event per field.
const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
const { triageTicketAction } = await import("@/lib/tickets/actions");
const { triageTicket } = await import("@/lib/tickets/triage");
const { bulkChangeStatus } = await import("@/lib/tickets/bulk");
const { changeStatus, deleteTicket } = await import("@/lib/tickets/service");

const db = createTestDb();
type Actor = Awaited<ReturnType<typeof makeActor>>;
let requester: Actor, other: Actor, tech: Actor, admin: Actor;
let cat: string, hardware: string;

beforeAll(async () => {
  process.env.AUTH_TRUST_HOST = "true";
  [requester, other, tech, admin] = await Promise.all([
    makeActor(db, "USER"),
    makeActor(db, "USER"),
    makeActor(db, "TECHNICIAN"),
    makeActor(db, "ADMIN"),
  ]);
  cat = (await makeCategory(db)).id;
  hardware = (await makeCategory(db)).id;
});
afterAll(() => db.$disconnect());

const row = (id: string) => db.ticket.findUniqueOrThrow({ where: { id } });
const comments = (ticketId: string) =>
  db.ticketComment.findMany({ where: { ticketId }, orderBy: { createdAt: "asc" } });
const actions = async (ticketId: string) => (await auditFor(ticketId)).map((e) => e.action);

describe("one submit (service)", () => {
  it("applies every field and the reply with one version step and one event per field", async () => {
    const t = await newTicket(requester, cat);
    const result = await triageTicket(tech, {
      ticketId: t.id,
      version: t.version,
      status: "IN_PROGRESS", // needs an assignee: given in the same submit
      priority: "HIGH",
      categoryId: hardware,
      assigneeId: tech.actor.id,
      body: "On it: replacing the keyboard.",
      visibility: "public",
    });
    expect(result).toMatchObject({ version: t.version + 1, status: "IN_PROGRESS" });
    expect(result.changed.sort()).toEqual(["assigneeId", "categoryId", "priority", "status"]);
    const after = await row(t.id);
    expect(after).toMatchObject({
      status: "IN_PROGRESS",
      priority: "HIGH",
      categoryId: hardware,
      assigneeId: tech.actor.id,
      version: t.version + 1,
    });
    expect(after.firstResponseAt).toBeInstanceOf(Date);
    const [reply] = await comments(t.id);
    expect(reply).toMatchObject({ id: result.commentId, internal: false, authorId: tech.actor.id });

    const events = (await auditFor(t.id)).filter((e) => e.action !== "ticket.create");
    expect(events.map((e) => e.action).sort()).toEqual(
      ["ticket.category", "ticket.priority", "ticket.reply", "ticket.status", "ticket.take"].sort(),
    );
    // One submit: one request, and each event holds its own field only.
    expect(new Set(events.map((e) => e.requestId)).size).toBe(1);
    const by = Object.fromEntries(events.map((e) => [e.action, e]));
    expect([by["ticket.priority"]!.before, by["ticket.priority"]!.after]).toEqual([
      { priority: "MEDIUM" },
      { priority: "HIGH" },
    ]);
    expect(by["ticket.category"]!.after).toEqual({ categoryId: hardware });
    expect(by["ticket.take"]!.after).toEqual({ assigneeId: tech.actor.id });
    expect(by["ticket.status"]!.after).toEqual({ status: "IN_PROGRESS" });
    expect(by["ticket.reply"]!.metadata).toMatchObject({ commentId: result.commentId });
  });

  it("is one transaction: a refused part leaves the ticket, comments and audit untouched", async () => {
    const t = await newTicket(requester, cat);
    const inactive = await makeUser(db, { role: "TECHNICIAN", active: false });
    const before = { ticket: await row(t.id), audit: await actions(t.id) };
    const error = await triageTicket(tech, {
      ticketId: t.id,
      version: t.version,
      priority: "URGENT",
      categoryId: hardware,
      assigneeId: inactive.id, // checked after priority and category were prepared
      body: "This reply must not be stored.",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors?.assigneeId).toBeDefined();
    expect(await row(t.id)).toEqual(before.ticket);
    expect(await comments(t.id)).toEqual([]);
    expect(await actions(t.id)).toEqual(before.audit);
  });

  it("checks ONE version: a stale submit writes nothing, not even the reply", async () => {
    const t = await newTicket(requester, cat);
    await triageTicket(admin, { ticketId: t.id, version: t.version, priority: "LOW" });
    const stale = triageTicket(tech, {
      ticketId: t.id,
      version: t.version,
      priority: "HIGH",
      body: "Typed while someone else changed it.",
    });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    expect(await row(t.id)).toMatchObject({ priority: "LOW", version: t.version + 1 });
    expect(await comments(t.id)).toEqual([]);
  });

  it("of two concurrent submits from one version, one wins; the loser's reply is rolled back", async () => {
    const t = await newTicket(requester, cat);
    const submit = (ctx: Actor, priority: "HIGH" | "LOW", body: string) =>
      triageTicket(ctx, { ticketId: t.id, version: 1, priority, body }).then(
        () => "ok",
        (e: unknown) => (e instanceof ConflictError ? "conflict" : e),
      );
    const outcomes = await Promise.all([
      submit(tech, "HIGH", "Reply from the first technician."),
      submit(admin, "LOW", "Reply from the second technician."),
    ]);
    expect(outcomes.sort()).toEqual(["conflict", "ok"]);
    const stored = await comments(t.id);
    expect(stored).toHaveLength(1);
    const winner = stored[0]!.authorId === tech.actor.id ? "HIGH" : "LOW";
    expect(await row(t.id)).toMatchObject({ priority: winner, version: 2 });
    expect((await actions(t.id)).filter((a) => a === "ticket.reply")).toHaveLength(1);
  });

  it("refuses In progress without an assignee, and resolving a NEW ticket without a reply", async () => {
    const t = await newTicket(requester, cat);
    await expect(
      triageTicket(tech, { ticketId: t.id, version: 1, status: "IN_PROGRESS" }),
    ).rejects.toThrow("In progress needs an assignee.");
    await expect(
      triageTicket(tech, { ticketId: t.id, version: 1, status: "RESOLVED" }),
    ).rejects.toThrow(/needs a public reply/);
    // An internal note is not an answer to the requester.
    await expect(
      triageTicket(tech, {
        ticketId: t.id,
        version: 1,
        status: "RESOLVED",
        body: "note",
        visibility: "internal",
      }),
    ).rejects.toThrow(/needs a public reply/);
    expect(await row(t.id)).toMatchObject({ status: "NEW", version: 1 });

    const done = await triageTicket(tech, {
      ticketId: t.id,
      version: 1,
      status: "RESOLVED",
      body: "Restart the VPN client; fixed.",
    });
    expect(done.status).toBe("RESOLVED");
    const after = await row(t.id);
    expect(after.resolvedAt).toBeInstanceOf(Date);
    expect(after.firstResponseAt).toBeInstanceOf(Date);
  });

  it("opens a NEW ticket that gets an owner or a reply, as single changes did", async () => {
    const t = await newTicket(requester, cat);
    const r = await triageTicket(tech, { ticketId: t.id, version: 1, body: "Looking." });
    expect(r).toMatchObject({ status: "OPEN", version: 2, changed: ["status"] });
  });

  it("an internal note alone moves neither the version nor updatedAt", async () => {
    const t = await newTicket(requester, cat);
    const before = await row(t.id);
    const r = await triageTicket(tech, {
      ticketId: t.id,
      version: 1,
      body: "Staff only.",
      visibility: "internal",
    });
    expect(r).toMatchObject({ version: 1, changed: [] });
    const after = await row(t.id);
    expect([after.version, after.updatedAt]).toEqual([before.version, before.updatedAt]);
    expect((await comments(t.id)).map((c) => c.internal)).toEqual([true]);
  });

  it("on a closed ticket takes internal notes but no replies", async () => {
    let t = await newTicket(requester, cat);
    t = await changeStatus(tech, { ticketId: t.id, version: 1, status: "CLOSED" });
    await expect(
      triageTicket(tech, { ticketId: t.id, version: t.version, body: "Reply?" }),
    ).rejects.toThrow(/closed/);
    const note = await triageTicket(tech, {
      ticketId: t.id,
      version: t.version,
      body: "Duplicate of another ticket.",
      visibility: "internal",
    });
    expect(note.commentId).toBeTruthy();
    expect((await comments(t.id)).map((c) => [c.body, c.internal])).toEqual([
      ["Duplicate of another ticket.", true],
    ]);
  });
});

describe("one submit (server action: wrapper, permissions, refusals)", () => {
  it("works for staff through the action", async () => {
    const t = await newTicket(requester, cat);
    await actAs(state, tech.actor);
    const result = await triageTicketAction({
      ticketId: t.id,
      version: String(t.version),
      priority: "URGENT",
      assigneeId: "",
      body: "Sent from the form.",
      visibility: "public",
    });
    expect(result).toMatchObject({ ok: true, data: { status: "OPEN", version: 2 } });
    expect(await row(t.id)).toMatchObject({ priority: "URGENT", assigneeId: null });
  });

  it("refuses a requester setting priority or assignee, even on their own ticket", async () => {
    const t = await newTicket(requester, cat);
    await actAs(state, requester.actor);
    const result = await triageTicketAction({
      ticketId: t.id,
      version: 1,
      priority: "URGENT",
      assigneeId: requester.actor.id,
      body: "Please hurry.",
    });
    expect(result.ok).toBe(false);
    expect(await row(t.id)).toMatchObject({ priority: "MEDIUM", assigneeId: null, version: 1 });
    expect(await comments(t.id)).toEqual([]);
    const refused = await db.auditEvent.findMany({
      where: { action: "ticket.triage", outcome: "REFUSED", actorId: requester.actor.id },
    });
    expect(refused.length).toBeGreaterThan(0);
  });

  it("refuses another user's ticket (IDOR) without writing anything", async () => {
    const theirs = await newTicket(other, cat);
    await actAs(state, requester.actor);
    const result = await triageTicketAction({ ticketId: theirs.id, version: 1, body: "Mine now" });
    expect(result.ok).toBe(false);
    expect(await comments(theirs.id)).toEqual([]);
    expect(await row(theirs.id)).toMatchObject({ version: 1, status: "NEW" });
  });

  it("answers a deleted or unknown ticket as not found", async () => {
    const t = await newTicket(requester, cat);
    await deleteTicket(admin, { ticketId: t.id });
    await actAs(state, tech.actor);
    for (const ticketId of [t.id, "no-such-ticket"]) {
      const result = await triageTicketAction({ ticketId, version: 1, priority: "LOW" });
      expect(result).toEqual({ ok: false, formError: "Ticket not found." });
    }
    expect(await comments(t.id)).toEqual([]);
  });
});

describe("bulk status with conditions", () => {
  it("applies what it can and names each skipped ticket with the reason", async () => {
    const [assigned, unassigned] = [
      await newTicket(requester, cat),
      await newTicket(requester, cat),
    ];
    await triageTicket(tech, { ticketId: assigned.id, version: 1, assigneeId: tech.actor.id });
    await triageTicket(tech, { ticketId: unassigned.id, version: 1, status: "OPEN" });
    const result = await bulkChangeStatus(tech, {
      ticketIds: [assigned.id, unassigned.id],
      status: "IN_PROGRESS",
    });
    expect(result.updated.map((u) => u.id)).toEqual([assigned.id]);
    expect(result.skipped).toEqual([
      { id: unassigned.id, number: unassigned.number, reason: "In progress needs an assignee." },
    ]);
    expect((await row(unassigned.id)).status).toBe("OPEN");
  });
});
