// The requester's side of a ticket (issue 11 §5): "No, it still happens" reopens with a reply in
// one transaction, and "Report a follow-up" links a new ticket to a closed one of one's own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { getFollowUpTarget, getTicket } from "@/lib/tickets/queries";
import type { ServiceContext } from "@/lib/service-context";
import { TicketCreateSchema, TicketReopenSchema } from "@/lib/tickets/schemas";
import { changeStatus, closeTicket, createTicket, reopenTicket } from "@/lib/tickets/service";
import { makeActor, makeCategory } from "@/tests/support/factories";
import { auditFor, newTicket } from "@/tests/support/tickets";

let requester: ServiceContext;
let other: ServiceContext;
let tech: ServiceContext;
let cat: string;

beforeAll(async () => {
  [requester, other, tech] = await Promise.all([
    makeActor(db, "USER"),
    makeActor(db, "USER"),
    makeActor(db, "TECHNICIAN"),
  ]);
  cat = (await makeCategory(db)).id;
});
afterAll(() => db.$disconnect());

/** A ticket of `ctx` taken to RESOLVED by the technician. */
async function resolved(ctx: ServiceContext) {
  let t = await newTicket(ctx, cat);
  t = await changeStatus(tech, { ticketId: t.id, version: t.version, status: "OPEN" });
  return changeStatus(tech, { ticketId: t.id, version: t.version, status: "RESOLVED" });
}

async function closed(ctx: ServiceContext) {
  const t = await resolved(ctx);
  return closeTicket(ctx, { ticketId: t.id, version: t.version });
}

const commentsOf = (ticketId: string) =>
  db.ticketComment.findMany({ where: { ticketId }, orderBy: { createdAt: "asc" } });

describe("reopen with a reply ('No, it still happens')", () => {
  it("posts the reply and reopens the ticket together, audited as both", async () => {
    const t = await resolved(requester);
    const result = await reopenTicket(requester, {
      ticketId: t.id,
      version: t.version,
      body: "Still happens after the restart.",
    });
    expect(result).toMatchObject({ status: "OPEN", version: t.version + 1 });
    const row = await db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(row).toMatchObject({ status: "OPEN", resolvedAt: null, closedAt: null });
    // The requester spoke last: the ticket waits on the help desk again.
    expect(row.awaitingReply).toBe(true);
    const comments = await commentsOf(t.id);
    expect(comments.map((c) => [c.body, c.authorId, c.internal])).toEqual([
      ["Still happens after the restart.", requester.actor.id, false],
    ]);
    expect(row.updatedAt.getTime()).toBe(comments[0]!.createdAt.getTime());
    const [reopen] = await auditFor(t.id, "ticket.reopen");
    expect(reopen).toMatchObject({ outcome: "SUCCESS", actorId: requester.actor.id });
    expect(reopen!.before).toMatchObject({ status: "RESOLVED" });
    expect(reopen!.after).toMatchObject({ status: "OPEN" });
    expect(reopen!.metadata).toMatchObject({ commentId: comments[0]!.id });
    const [reply] = await auditFor(t.id, "ticket.reply");
    expect(reply!.metadata).toMatchObject({ commentId: comments[0]!.id, internal: false });
  });

  it("requires the text: an empty answer is refused by the shared schema", () => {
    const parsed = TicketReopenSchema.safeParse({ ticketId: "x", version: 1, body: "   " });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toBe("Tell us what is still wrong.");
  });

  it("writes nothing when the move is refused: stale version, wrong status", async () => {
    const t = await resolved(requester);
    await expect(
      reopenTicket(requester, { ticketId: t.id, version: t.version - 1, body: "stale" }),
    ).rejects.toThrow(ConflictError);
    // A NEW ticket: NEW -> OPEN is a staff move, refused for the requester.
    const open = await newTicket(requester, cat);
    await expect(
      reopenTicket(requester, { ticketId: open.id, version: open.version, body: "not resolved" }),
    ).rejects.toThrow(ForbiddenError);
    expect(await commentsOf(t.id)).toEqual([]);
    expect(await commentsOf(open.id)).toEqual([]);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("RESOLVED");
  });

  it("IDOR: another user's ticket is a 404, the probe is audited, nothing is written", async () => {
    const t = await resolved(requester);
    await expect(
      reopenTicket(other, { ticketId: t.id, version: t.version, body: "not mine" }),
    ).rejects.toThrow(NotFoundError);
    expect(await commentsOf(t.id)).toEqual([]);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("RESOLVED");
    const refused = await db.auditEvent.findFirst({
      where: { entityId: t.id, outcome: "REFUSED", actorId: other.actor.id },
    });
    expect(refused).toMatchObject({ action: "ticket.reopen" });
  });

  it("a requester may not reopen a closed ticket (CLOSED is final)", async () => {
    const t = await closed(requester);
    await expect(
      reopenTicket(requester, { ticketId: t.id, version: t.version, body: "again" }),
    ).rejects.toThrow(ValidationError);
    expect(await commentsOf(t.id)).toEqual([]);
  });

  it("staff may reopen anyone's resolved ticket with a reply", async () => {
    const t = await resolved(requester);
    const result = await reopenTicket(tech, { ticketId: t.id, version: t.version, body: "x" });
    expect(result.status).toBe("OPEN");
    expect((await commentsOf(t.id)).map((c) => c.authorId)).toEqual([tech.actor.id]);
  });
});

describe("report a follow-up", () => {
  it("links a new ticket to one's own closed ticket; both pages show it", async () => {
    const old = await closed(requester);
    const next = await createTicket(requester, {
      title: "Printer again",
      description: "Follow-up",
      categoryId: cat,
      followUpOfId: old.id,
    });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: next.id } })).followUpOfId).toBe(
      old.id,
    );
    const newPage = await getTicket(requester.actor, { id: next.id });
    expect(newPage.followUpOf).toMatchObject({ number: old.number });
    const oldPage = await getTicket(requester.actor, { id: old.id });
    expect(oldPage.followUps.map((t) => t.number)).toEqual([next.number]);
    const [created] = await auditFor(next.id, "ticket.create");
    expect(created!.after).toMatchObject({ followUpOfId: old.id });
    // The form's target lookup: one's own closed ticket by number.
    expect(await getFollowUpTarget(requester.actor, old.number)).toMatchObject({ id: old.id });
  });

  it("IDOR: another user's ticket cannot be followed up (refused, audited, nothing created)", async () => {
    const theirs = await closed(other);
    const before = await db.ticket.count({ where: { requesterId: requester.actor.id } });
    const error = await createTicket(requester, {
      title: "Sneaky follow-up",
      description: "",
      categoryId: cat,
      followUpOfId: theirs.id,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe("The ticket to follow up was not found.");
    expect(await db.ticket.count({ where: { requesterId: requester.actor.id } })).toBe(before);
    const refused = await db.auditEvent.findFirst({
      where: { entityId: theirs.id, outcome: "REFUSED", actorId: requester.actor.id },
    });
    expect(refused).toMatchObject({ action: "ticket.create" });
    // Not offered by the form either, and its title never reaches the other user.
    expect(await getFollowUpTarget(requester.actor, theirs.number)).toBeNull();
    expect((await getTicket(other.actor, { id: theirs.id })).followUps).toEqual([]);
  });

  it("an unknown id and a ticket that is not closed are refused with a clear message", async () => {
    await expect(
      createTicket(requester, {
        title: "Follow-up of nothing",
        description: "",
        categoryId: cat,
        followUpOfId: "no-such-ticket",
      }),
    ).rejects.toThrow("The ticket to follow up was not found.");
    const open = await newTicket(requester, cat);
    await expect(
      createTicket(requester, {
        title: "Too early",
        description: "",
        categoryId: cat,
        followUpOfId: open.id,
      }),
    ).rejects.toThrow("Only a closed ticket can be followed up; reply on it instead.");
    expect(await getFollowUpTarget(requester.actor, open.number)).toBeNull();
  });

  it("a staff link to someone else's ticket stays invisible to the requester", async () => {
    const theirs = await closed(other);
    // Staff may read every ticket, so they may file a follow-up for the requester...
    const next = await createTicket(tech, {
      title: "Filed by the desk",
      description: "",
      categoryId: cat,
      requesterId: requester.actor.id,
      followUpOfId: theirs.id,
    });
    // ...but the requester never sees the other person's ticket through it.
    expect((await getTicket(requester.actor, { id: next.id })).followUpOf).toBeNull();
    expect((await getTicket(tech.actor, { id: next.id })).followUpOf).toMatchObject({
      number: theirs.number,
    });
  });
});

describe("titles over the limit", () => {
  it("are refused with a message, never cut", () => {
    const long = "x".repeat(201);
    const parsed = TicketCreateSchema.safeParse({ title: long, categoryId: "c" });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toBe(
      "A title is at most 200 characters: shorten it (nothing was cut).",
    );
    const exact = TicketCreateSchema.parse({ title: "y".repeat(200), categoryId: "c" });
    expect(exact.title).toHaveLength(200);
  });
});
