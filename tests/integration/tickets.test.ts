import { fingerprint } from "@/lib/audit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { getTicket } from "@/lib/tickets/queries";
import type { ServiceContext } from "@/lib/service-context";
import { bulkAssign, bulkChangeStatus } from "@/lib/tickets/bulk";
import { addInternalNote, addReply } from "@/lib/tickets/comments";
import {
  assignTicket,
  changeCategory,
  changePriority,
  changeStatus,
  closeTicket,
  createTicket,
  deleteTicket,
  editTicket,
  reopenTicket,
  takeTicket,
} from "@/lib/tickets/service";
import { STALE_MESSAGE } from "@/lib/tickets/mutation";
import { makeActor, makeCategory, makeUser } from "@/tests/support/factories";
import { auditFor, newTicket } from "@/tests/support/tickets";

// Shares the test database with other files: every assertion is about rows this file created.
let requester: ServiceContext;
let other: ServiceContext;
let tech: ServiceContext;
let admin: ServiceContext;
let cat: string;

beforeAll(async () => {
  [requester, other, tech, admin] = await Promise.all([
    makeActor(db, "USER"),
    makeActor(db, "USER"),
    makeActor(db, "TECHNICIAN"),
    makeActor(db, "ADMIN"),
  ]);
  cat = (await makeCategory(db)).id;
});
afterAll(() => db.$disconnect());

const row = (id: string) => db.ticket.findUniqueOrThrow({ where: { id } });

describe("createTicket", () => {
  it("files a NEW ticket for the user with the next number and audits it", async () => {
    const a = await newTicket(requester, cat, { title: "  Printer on fire  " });
    const b = await newTicket(requester, cat);
    expect(a.status).toBe("NEW");
    expect(a.version).toBe(1);
    expect(b.number).toBeGreaterThan(a.number);
    const stored = await row(a.id);
    expect(stored).toMatchObject({ requesterId: requester.actor.id, priority: "MEDIUM" });
    const [event] = await auditFor(a.id, "ticket.create");
    expect(event).toMatchObject({ actorId: requester.actor.id, outcome: "SUCCESS" });
    expect(event!.after).toMatchObject({ title: "  Printer on fire  ", status: "NEW" });
    expect(event!.requestId).toBe(requester.request!.requestId);
  });

  it("refuses a user filing for someone else or setting a priority", async () => {
    const base = { title: "Not mine", description: "", categoryId: cat };
    await expect(createTicket(requester, { ...base, requesterId: other.actor.id })).rejects.toThrow(
      ForbiddenError,
    );
    await expect(createTicket(requester, { ...base, priority: "URGENT" })).rejects.toThrow(
      ForbiddenError,
    );
  });

  it("lets staff file on behalf of an active user, and only an active one", async () => {
    const t = await createTicket(tech, {
      title: "Phoned in",
      description: "",
      categoryId: cat,
      requesterId: requester.actor.id,
      priority: "HIGH",
    });
    expect(await row(t.id)).toMatchObject({ requesterId: requester.actor.id, priority: "HIGH" });
    const inactive = await makeUser(db, { active: false });
    await expect(
      createTicket(tech, {
        title: "Ghost",
        description: "",
        categoryId: cat,
        requesterId: inactive.id,
      }),
    ).rejects.toThrow(ValidationError);
  });

  it("rejects an archived or unknown category with a field error", async () => {
    const archived = await makeCategory(db, { archived: true });
    const error = await createTicket(requester, {
      title: "Old category",
      description: "",
      categoryId: archived.id,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors?.categoryId).toBeDefined();
  });
});

describe("status machine (service)", () => {
  it("walks NEW -> OPEN -> IN_PROGRESS -> ON_HOLD -> RESOLVED -> CLOSED with timestamps", async () => {
    let t = await newTicket(requester, cat);
    await expect(
      changeStatus(tech, { ticketId: t.id, version: t.version, status: "RESOLVED" }),
    ).rejects.toThrow(/needs a public reply/); // NEW -> RESOLVED only with a reply (triage form)
    t = await changeStatus(tech, { ticketId: t.id, version: t.version, status: "OPEN" });
    await expect(
      changeStatus(tech, { ticketId: t.id, version: t.version, status: "IN_PROGRESS" }),
    ).rejects.toThrow(/needs an assignee/);
    await db.ticket.update({ where: { id: t.id }, data: { assigneeId: tech.actor.id } });
    for (const status of ["IN_PROGRESS", "ON_HOLD", "RESOLVED"] as const) {
      t = await changeStatus(tech, { ticketId: t.id, version: t.version, status });
      expect(t.status).toBe(status);
    }
    expect((await row(t.id)).resolvedAt).toBeInstanceOf(Date);
    const [event] = (await auditFor(t.id, "ticket.status")).slice(-1);
    expect(event!.before).toMatchObject({ status: "ON_HOLD", resolvedAt: null });
    expect(event!.after).toMatchObject({ status: "RESOLVED" });

    t = await closeTicket(requester, { ticketId: t.id, version: t.version });
    const closed = await row(t.id);
    expect(closed).toMatchObject({ status: "CLOSED", version: 6 });
    expect(closed.closedAt).toBeInstanceOf(Date);
    expect(await auditFor(t.id, "ticket.close")).toHaveLength(1);
    // CLOSED is final, for staff too.
    await expect(
      changeStatus(admin, { ticketId: t.id, version: t.version, status: "OPEN" }),
    ).rejects.toThrow(ValidationError);
  });

  it("lets the requester reopen their resolved ticket but not move it otherwise", async () => {
    let t = await newTicket(requester, cat);
    t = await changeStatus(tech, { ticketId: t.id, version: t.version, status: "OPEN" });
    // A legal edge for staff, refused for the requester.
    await expect(closeTicket(requester, { ticketId: t.id, version: t.version })).rejects.toThrow(
      ForbiddenError,
    );
    t = await changeStatus(tech, { ticketId: t.id, version: t.version, status: "RESOLVED" });
    t = await reopenTicket(requester, { ticketId: t.id, version: t.version, body: "Still broken" });
    const reopened = await row(t.id);
    expect(reopened).toMatchObject({ status: "OPEN", resolvedAt: null, closedAt: null });
    // Another user cannot even see it: a 404, and the probe is audited.
    t = await changeStatus(tech, { ticketId: t.id, version: t.version, status: "RESOLVED" });
    await expect(
      reopenTicket(other, { ticketId: t.id, version: t.version, body: "Mine now" }),
    ).rejects.toThrow(NotFoundError);
    const refused = await db.auditEvent.findFirst({
      where: { entityId: t.id, outcome: "REFUSED", actorId: other.actor.id },
    });
    expect(refused).toMatchObject({ action: "ticket.reopen" });
  });
});

describe("optimistic locking", () => {
  it("refuses a stale edit with the 'changed since you opened it' message", async () => {
    const t = await newTicket(requester, cat);
    const first = await changePriority(tech, { ticketId: t.id, version: 1, priority: "HIGH" });
    expect(first.version).toBe(2);
    const error = await changeCategory(admin, {
      ticketId: t.id,
      version: 1,
      categoryId: cat,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe(STALE_MESSAGE);
    expect((await row(t.id)).priority).toBe("HIGH");
  });

  it("lets exactly one of two concurrent edits from the same version win", async () => {
    const t = await newTicket(requester, cat);
    const results = await Promise.allSettled([
      changePriority(tech, { ticketId: t.id, version: 1, priority: "URGENT" }),
      changePriority(admin, { ticketId: t.id, version: 1, priority: "LOW" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ConflictError);
    expect((await row(t.id)).version).toBe(2);
    expect(await auditFor(t.id, "ticket.priority")).toHaveLength(1);
  });
});

describe("edit, assign, delete", () => {
  it("lets the requester edit only while NEW, staff at any time", async () => {
    let t = await newTicket(requester, cat);
    t = await editTicket(requester, {
      ticketId: t.id,
      version: 1,
      title: "Better title",
      description: "More",
    });
    expect(t.version).toBe(2);
    t = await takeTicket(tech, { ticketId: t.id, version: t.version });
    expect(t.status).toBe("OPEN"); // taking a NEW ticket opens it
    // "Take it" has its own audit name, distinct from assigning someone.
    const taken = await auditFor(t.id, "ticket.take");
    expect(taken.map((e) => [e.actorId, e.after])).toEqual([
      [tech.actor.id, { assigneeId: tech.actor.id }],
    ]);
    // One event per changed field: the opening is its own status event.
    const opened = await auditFor(t.id, "ticket.status");
    expect(opened.map((e) => [e.before, e.after])).toEqual([
      [{ status: "NEW" }, { status: "OPEN" }],
    ]);
    expect(await auditFor(t.id, "ticket.assign")).toEqual([]);
    await expect(
      editTicket(requester, {
        ticketId: t.id,
        version: t.version,
        title: "Again",
        description: "",
      }),
    ).rejects.toThrow(ForbiddenError);
    t = await editTicket(tech, {
      ticketId: t.id,
      version: t.version,
      title: "Staff title",
      description: "",
    });
    const [edit] = (await auditFor(t.id, "ticket.edit")).slice(-1);
    // Descriptions are kept as fingerprints (lib/audit/text-change.ts).
    expect(edit!.before).toEqual({ title: "Better title", description: fingerprint("More") });
    expect(edit!.after).toEqual({ title: "Staff title", description: fingerprint("") });
  });

  it("assigns only active technicians or admins, and unassigns", async () => {
    let t = await newTicket(requester, cat);
    await expect(
      assignTicket(tech, { ticketId: t.id, version: 1, assigneeId: other.actor.id }),
    ).rejects.toThrow(ValidationError);
    t = await assignTicket(tech, { ticketId: t.id, version: 1, assigneeId: admin.actor.id });
    expect((await row(t.id)).assigneeId).toBe(admin.actor.id);
    t = await assignTicket(tech, { ticketId: t.id, version: t.version, assigneeId: null });
    expect(await row(t.id)).toMatchObject({ assigneeId: null, status: "OPEN" });
    await expect(
      assignTicket(requester, { ticketId: t.id, version: t.version, assigneeId: tech.actor.id }),
    ).rejects.toThrow(ForbiddenError);
  });

  it("soft-deletes for admins only; the ticket then vanishes for everyone", async () => {
    const t = await newTicket(requester, cat);
    await expect(deleteTicket(tech, { ticketId: t.id })).rejects.toThrow(ForbiddenError);
    await deleteTicket(admin, { ticketId: t.id });
    expect((await row(t.id)).deletedAt).toBeInstanceOf(Date);
    for (const viewer of [requester, tech, admin]) {
      await expect(getTicket(viewer.actor, { id: t.id })).rejects.toThrow(NotFoundError);
    }
    expect(await auditFor(t.id, "ticket.delete")).toHaveLength(1);
  });
});

describe("replies and notes", () => {
  it("sets firstResponseAt on the first staff reply only, and opens a NEW ticket", async () => {
    const t = await newTicket(requester, cat);
    await addReply(requester, { ticketId: t.id, body: "Any news?" });
    expect((await row(t.id)).firstResponseAt).toBeNull();
    const reply = await addReply(tech, { ticketId: t.id, body: "Looking into it." });
    expect(reply.ticket.status).toBe("OPEN");
    const first = (await row(t.id)).firstResponseAt;
    expect(first).toBeInstanceOf(Date);
    await addReply(admin, { ticketId: t.id, body: "Second answer." });
    expect((await row(t.id)).firstResponseAt).toEqual(first);
  });

  it("moves a ticket waiting for the requester back to OPEN when they reply", async () => {
    let t = await newTicket(requester, cat);
    t = await changeStatus(tech, { ticketId: t.id, version: 1, status: "OPEN" });
    t = await changeStatus(tech, { ticketId: t.id, version: t.version, status: "ON_HOLD" });
    const result = await addReply(requester, { ticketId: t.id, body: "Here is the log." });
    expect(result.ticket).toMatchObject({ status: "OPEN", version: t.version + 1 });
    const [event] = await auditFor(t.id, "ticket.reply");
    expect(event!.before).toEqual({ status: "ON_HOLD" });
    expect(event!.after).toEqual({ status: "OPEN" });
  });

  it("refuses replies on a closed ticket and notes from users", async () => {
    let t = await newTicket(requester, cat);
    t = await changeStatus(tech, { ticketId: t.id, version: 1, status: "CLOSED" });
    await expect(addReply(requester, { ticketId: t.id, body: "Hello?" })).rejects.toThrow(
      ValidationError,
    );
    await expect(addInternalNote(requester, { ticketId: t.id, body: "sneaky" })).rejects.toThrow(
      ForbiddenError,
    );
  });

  it("writes a note without touching anything the requester can see", async () => {
    const t = await newTicket(requester, cat);
    const before = await row(t.id);
    await addInternalNote(tech, { ticketId: t.id, body: "Probably the PSU." });
    const after = await row(t.id);
    expect(after.updatedAt).toEqual(before.updatedAt);
    expect(after.version).toBe(before.version);
    expect(await auditFor(t.id, "ticket.note")).toHaveLength(1);
    // Comments are immutable in the database too.
    await expect(
      db.ticketComment.updateMany({ where: { ticketId: t.id }, data: { internal: false } }),
    ).rejects.toThrow(/immutable/);
  });
});

describe("bulk actions", () => {
  it("assigns many tickets in one go, skipping unknown ids, one audit event per ticket", async () => {
    const a = await newTicket(requester, cat);
    const b = await newTicket(other, cat);
    const result = await bulkAssign(tech, {
      ticketIds: [a.id, b.id, "no-such-ticket"],
      assigneeId: tech.actor.id,
    });
    expect(result.updated.map((u) => u.id).sort()).toEqual([a.id, b.id].sort());
    expect(result.updated.every((u) => u.status === "OPEN" && u.version === 2)).toBe(true);
    expect(result.skipped).toEqual([
      { id: "no-such-ticket", number: null, reason: "Ticket not found." },
    ]);
    for (const id of [a.id, b.id]) {
      const [event] = await auditFor(id, "ticket.assign");
      expect(event!.metadata).toMatchObject({ bulk: true });
      expect(event!.after).toEqual({ assigneeId: tech.actor.id, status: "OPEN" });
    }
  });

  it("changes status where the machine allows it and reports the rest", async () => {
    const fresh = await newTicket(requester, cat);
    let open = await newTicket(requester, cat);
    open = await changeStatus(tech, { ticketId: open.id, version: 1, status: "OPEN" });
    const result = await bulkChangeStatus(admin, {
      ticketIds: [fresh.id, open.id],
      status: "RESOLVED",
    });
    expect(result.updated.map((u) => u.id)).toEqual([open.id]);
    expect(result.skipped).toEqual([
      {
        id: fresh.id,
        number: fresh.number,
        reason: "Resolving a new ticket needs a public reply to the requester.",
      },
    ]);
    expect((await row(open.id)).resolvedAt).toBeInstanceOf(Date);
    expect((await row(fresh.id)).status).toBe("NEW");
  });

  it("is staff-only", async () => {
    const t = await newTicket(requester, cat);
    await expect(
      bulkChangeStatus(requester, { ticketIds: [t.id], status: "CLOSED" }),
    ).rejects.toThrow(ForbiddenError);
  });
});
