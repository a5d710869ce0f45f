import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { DIFF_EXCERPT, fingerprint } from "@/lib/audit";
import { makeActor, makeCategory } from "@/tests/support/factories";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";
import { auditFor, newTicket } from "@/tests/support/tickets";

// Issue 10 §5b: ticket edits had no rate limit and each stored the whole old and new description
// (up to 40 KB) in the append-only audit trail: 15 edits of a 20,000-character description wrote
// 580 KB. Now: a per-user limit like replies, and a fingerprint plus a bounded diff per edit.
const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
const { editTicketAction } = await import("@/lib/tickets/actions");
const { editTicket } = await import("@/lib/tickets/service");

const db = createTestDb();
let cat: string;

beforeAll(async () => {
  process.env.AUTH_TRUST_HOST = "true";
  cat = (await makeCategory(db)).id;
});
afterEach(() => {
  delete process.env.RATE_LIMIT_TICKET_EDITS_PER_HOUR;
});
afterAll(() => db.$disconnect());

/** 20,000 characters that differ from edit to edit only in one place. */
const big = (n: number) => `${"lorem ipsum ".repeat(833)}edit ${n} ${"dolor sit ".repeat(999)}`;

async function auditBytes(ticketId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ bytes: bigint }[]>`
    SELECT COALESCE(sum(octet_length(coalesce("before"::text, '')) +
                        octet_length(coalesce("after"::text, '')) +
                        octet_length(coalesce("metadata"::text, ''))), 0)::bigint AS bytes
      FROM "AuditEvent" WHERE "entityType" = 'Ticket' AND "entityId" = ${ticketId}`;
  return Number(row!.bytes);
}

describe("what the audit trail keeps of a description", () => {
  it("ticket.create keeps a fingerprint of the description, not the text", async () => {
    const requester = await makeActor(db, "USER");
    const text = `A secret-ish description ${"x".repeat(500)}`;
    const t = await newTicket(requester, cat, { description: text });
    const [event] = await auditFor(t.id, "ticket.create");
    expect((event!.after as Record<string, unknown>).description).toEqual(fingerprint(text));
    expect(JSON.stringify({ ...event, id: String(event!.id) })).not.toContain("secret-ish");
  });

  it("15 edits of a 20,000-character description add a few KB, not 580 KB", async () => {
    const requester = await makeActor(db, "USER");
    let t = await newTicket(requester, cat, { description: big(0) });
    const start = await auditBytes(t.id);
    for (let i = 1; i <= 15; i++) {
      t = await editTicket(requester, {
        ticketId: t.id,
        version: t.version,
        title: `Edited ${i} times`,
        description: big(i),
      });
    }
    const added = (await auditBytes(t.id)) - start;
    expect(added).toBeLessThan(15 * 1024); // old code: ~600,000 bytes
    const edits = await auditFor(t.id, "ticket.edit");
    expect(edits).toHaveLength(15);
    const last = edits.at(-1)!;
    expect(last.before).toMatchObject({ description: fingerprint(big(14)) });
    expect(last.after).toMatchObject({
      description: fingerprint(big(15)),
      title: "Edited 15 times",
    });
    expect(last.metadata).toMatchObject({
      descriptionDiff: {
        at: 833 * 12 + 6, // "edit 1" is common: only "4" became "5"
        removedLength: 1,
        addedLength: 1,
        removed: "4",
        added: "5",
      },
    });
  });

  it("bounds the excerpt of a long rewrite and keeps its real lengths", async () => {
    const requester = await makeActor(db, "USER");
    const t = await newTicket(requester, cat, { description: "a".repeat(5000) });
    await editTicket(requester, {
      ticketId: t.id,
      version: t.version,
      title: "Same",
      description: "b".repeat(9000),
    });
    const [edit] = await auditFor(t.id, "ticket.edit");
    const diff = (edit!.metadata as { descriptionDiff: Record<string, unknown> }).descriptionDiff;
    expect(diff).toMatchObject({ at: 0, removedLength: 5000, addedLength: 9000 });
    expect(String(diff.removed)).toHaveLength(DIFF_EXCERPT + 1); // + the "…" that marks the cut
    expect(String(diff.added)).toBe(`${"b".repeat(DIFF_EXCERPT)}…`);
  });

  it("a title-only edit keeps the titles and no description", async () => {
    const requester = await makeActor(db, "USER");
    const t = await newTicket(requester, cat, { title: "Old title", description: "Same text" });
    await editTicket(requester, {
      ticketId: t.id,
      version: t.version,
      title: "New title",
      description: "Same text",
    });
    const [edit] = await auditFor(t.id, "ticket.edit");
    expect(edit!.before).toEqual({ title: "Old title" });
    expect(edit!.after).toEqual({ title: "New title" });
  });
});

describe("edit rate limit", () => {
  it("refuses edits over RATE_LIMIT_TICKET_EDITS_PER_HOUR, like replies", async () => {
    process.env.RATE_LIMIT_TICKET_EDITS_PER_HOUR = "3";
    const requester = await makeActor(db, "USER");
    let t = await newTicket(requester, cat);
    for (let i = 1; i <= 3; i++) {
      await actAs(state, requester.actor);
      const result = await editTicketAction({
        ticketId: t.id,
        version: t.version,
        title: `Edit number ${i}`,
        description: `Text ${i}`,
      });
      expect(result).toMatchObject({ ok: true });
      if (result.ok) t = { ...t, version: result.data.version };
    }
    await actAs(state, requester.actor);
    const refused = await editTicketAction({
      ticketId: t.id,
      version: t.version,
      title: "Edit number 4",
      description: "Text 4",
    });
    expect(refused).toMatchObject({
      ok: false,
      formError: expect.stringMatching(/^Too many attempts/),
    });
    expect(await auditFor(t.id, "ticket.edit")).toHaveLength(3);
  });
});
