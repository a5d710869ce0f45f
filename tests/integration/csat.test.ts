import { createHash, randomBytes } from "node:crypto";
import { isValidElement, type ReactNode } from "react";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sealAuditEvents } from "@/lib/audit";
import { emailConfig } from "@/lib/email/config";
import { notifyFromAudit } from "@/lib/email/notify";
import { createTestDb } from "@/tests/support/db";
import { makeActor, makeCategory } from "@/tests/support/factories";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";
import { auditFor, newTicket } from "@/tests/support/tickets";

// Issue 15 §4: "How did we do?". A survey per resolution (every path that resolves), answered
// once by the requester on the ticket page or by the mailed one-click link (signed, single use,
// expiring; opening it records nothing).
const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
const { answerCsatAction, answerCsatLinkAction } = await import("@/lib/csat/actions");
const { csatToken, csatTokenHash } = await import("@/lib/csat/token");
const { triageTicket } = await import("@/lib/tickets/triage");
const { bulkChangeStatus } = await import("@/lib/tickets/bulk");
const { changeStatus, reopenTicket } = await import("@/lib/tickets/service");
const { default: CsatLinkPage } = await import("@/app/(auth)/csat/[token]/page");
const { CsatLinkForm } = await import("@/components/csat/csat-form");

/** The props of the first element of `type` in a rendered tree (server components resolved). */
function propsOf(node: ReactNode, type: unknown): Record<string, unknown> | null {
  if (Array.isArray(node)) {
    for (const n of node) {
      const found = propsOf(n as ReactNode, type);
      if (found) return found;
    }
    return null;
  }
  if (!isValidElement(node)) return null;
  const props = node.props as Record<string, unknown>;
  if (node.type === type) return props;
  return propsOf(props.children as ReactNode, type);
}
/** The text of a rendered tree (strings only). */
function textOf(node: ReactNode): string {
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map((n) => textOf(n as ReactNode)).join("");
  if (!isValidElement(node)) return "";
  return textOf((node.props as { children?: ReactNode }).children);
}

const db = createTestDb();
type Actor = Awaited<ReturnType<typeof makeActor>>;
let requester: Actor, other: Actor, tech: Actor, admin: Actor;
let cat: string;

beforeAll(async () => {
  process.env.AUTH_TRUST_HOST = "true";
  [requester, other, tech, admin] = await Promise.all([
    makeActor(db, "USER"),
    makeActor(db, "USER"),
    makeActor(db, "TECHNICIAN"),
    makeActor(db, "ADMIN"),
  ]);
  cat = (await makeCategory(db)).id;
});
afterAll(() => db.$disconnect());

const surveys = (ticketId: string) =>
  db.csatSurvey.findMany({ where: { ticketId }, orderBy: { resolvedAt: "asc" } });

/** A ticket of `requester`, assigned to the technician and resolved with a reply. */
async function resolvedTicket() {
  const t = await newTicket(requester, cat);
  const r = await triageTicket(tech, {
    ticketId: t.id,
    version: t.version,
    assigneeId: tech.actor.id,
    status: "RESOLVED",
    body: "Replaced the toner.",
    visibility: "public",
  });
  return { ...t, version: r.version };
}

describe("a survey per resolution", () => {
  it("opens one when the ticket is resolved, with the state at resolution", async () => {
    const t = await resolvedTicket();
    const row = await db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    const [survey, ...more] = await surveys(t.id);
    expect(more).toEqual([]);
    expect(survey).toMatchObject({
      requesterId: requester.actor.id,
      assigneeId: tech.actor.id,
      categoryId: cat,
      resolvedAt: row.resolvedAt,
      rating: null,
      answeredAt: null,
    });
    expect(survey!.expiresAt.getTime() - row.resolvedAt!.getTime()).toBe(14 * 86_400_000);
    // Only the token's sha256 is stored; the token is the HMAC of the id.
    expect(survey!.tokenHash).toBe(
      createHash("sha256").update(csatToken(survey!.id)).digest("hex"),
    );
    expect(survey!.tokenHash).not.toContain(csatToken(survey!.id));
  });

  it("asks again after a reopen and a second resolution; closing adds none", async () => {
    const t = await resolvedTicket();
    const reopened = await reopenTicket(requester, {
      ticketId: t.id,
      version: t.version,
      body: "Still streaky.",
    });
    expect(await surveys(t.id)).toHaveLength(1);
    const again = await changeStatus(tech, {
      ticketId: t.id,
      version: reopened.version,
      status: "RESOLVED",
    });
    const both = await surveys(t.id);
    expect(both).toHaveLength(2);
    expect(both[0]!.resolvedAt.getTime()).toBeLessThan(both[1]!.resolvedAt.getTime());
    await changeStatus(requester, { ticketId: t.id, version: again.version, status: "CLOSED" });
    expect(await surveys(t.id)).toHaveLength(2);
  });

  it("opens one per ticket of a bulk resolve, and none for a ticket closed unresolved", async () => {
    const [a, b] = [await newTicket(requester, cat), await newTicket(requester, cat)];
    await bulkChangeStatus(tech, { ticketIds: [a.id, b.id], status: "OPEN" });
    const result = await bulkChangeStatus(tech, { ticketIds: [a.id, b.id], status: "RESOLVED" });
    expect(result.updated).toHaveLength(2);
    expect(await surveys(a.id)).toHaveLength(1);
    expect(await surveys(b.id)).toHaveLength(1);

    const spam = await newTicket(requester, cat);
    await changeStatus(tech, { ticketId: spam.id, version: spam.version, status: "CLOSED" });
    expect(await surveys(spam.id)).toEqual([]);
  });
});

describe("answering on the ticket page", () => {
  it("records the requester's answer once, audited with the ticket", async () => {
    const t = await resolvedTicket();
    const [survey] = await surveys(t.id);
    await actAs(state, requester.actor);
    const input = { ticketId: t.id, surveyId: survey!.id, rating: "GOOD", comment: " Fast! " };
    expect(await answerCsatAction(input)).toMatchObject({ ok: true, data: { rating: "GOOD" } });
    const row = await db.csatSurvey.findUniqueOrThrow({ where: { id: survey!.id } });
    expect(row).toMatchObject({ rating: "GOOD", comment: "Fast!" });
    expect(row.answeredAt).toBeInstanceOf(Date);
    const [event, ...more] = await auditFor(t.id, "csat.answered");
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      actorId: requester.actor.id,
      outcome: "SUCCESS",
      after: { rating: "GOOD" },
      metadata: { surveyId: survey!.id, via: "ticket", commentLength: 5 },
    });

    // One answer per resolution.
    await actAs(state, requester.actor);
    const second = await answerCsatAction({ ...input, rating: "BAD" });
    expect(second).toMatchObject({ ok: false, formError: expect.stringMatching(/already/) });
    expect(await db.csatSurvey.findUniqueOrThrow({ where: { id: survey!.id } })).toMatchObject({
      rating: "GOOD",
    });
  });

  it("refuses staff, and hides another requester's survey (IDOR)", async () => {
    const t = await resolvedTicket();
    const [survey] = await surveys(t.id);
    const input = { ticketId: t.id, surveyId: survey!.id, rating: "BAD" };
    for (const staff of [tech, admin]) {
      await actAs(state, staff.actor);
      expect(await answerCsatAction(input)).toMatchObject({ ok: false });
    }
    await actAs(state, other.actor);
    expect(await answerCsatAction(input)).toMatchObject({
      ok: false,
      formError: expect.stringMatching(/not found/i),
    });
    // Their own ticket's id with this survey's id: not found either.
    const own = await newTicket(other, cat);
    await actAs(state, other.actor);
    expect(await answerCsatAction({ ...input, ticketId: own.id })).toMatchObject({
      ok: false,
      formError: expect.stringMatching(/not found/i),
    });
    const row = await db.csatSurvey.findUniqueOrThrow({ where: { id: survey!.id } });
    expect([row.rating, row.answeredAt]).toEqual([null, null]);
    const refusals = await db.auditEvent.findMany({
      where: {
        action: "csat.answer",
        outcome: "REFUSED",
        actorId: { in: [tech.actor.id, other.actor.id] },
      },
    });
    expect(refusals.length).toBeGreaterThanOrEqual(2);
  });

  it("refuses an expired survey", async () => {
    const t = await resolvedTicket();
    const [survey] = await surveys(t.id);
    await db.csatSurvey.update({
      where: { id: survey!.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await actAs(state, requester.actor);
    expect(
      await answerCsatAction({ ticketId: t.id, surveyId: survey!.id, rating: "OKAY" }),
    ).toMatchObject({ ok: false, formError: expect.stringMatching(/expired/) });
    expect(
      (await db.csatSurvey.findUniqueOrThrow({ where: { id: survey!.id } })).answeredAt,
    ).toBeNull();
  });
});

describe("the mailed link", () => {
  async function openSurvey() {
    const t = await resolvedTicket();
    const [survey] = await surveys(t.id);
    return { ticket: t, survey: survey!, token: csatToken(survey!.id) };
  }
  const auditCount = () => db.auditEvent.count();
  async function page(token: string, rating?: string) {
    const element = await CsatLinkPage({
      params: Promise.resolve({ token }),
      searchParams: Promise.resolve(rating ? { rating } : {}),
    });
    return element;
  }

  it("is in the resolved mail (text and HTML), made when the mail is rendered", async () => {
    const config = emailConfig({
      AUTH_URL: "https://help.example.com",
      EMAIL_FROM: "it@example.com",
    });
    const drain = async () => {
      await sealAuditEvents(db, { wait: true });
      for (;;) if ((await notifyFromAudit(db, config)).events === 0) break;
    };
    await drain(); // the first drain starts the cursor at the newest event
    const { ticket, token } = await openSurvey();
    await drain();
    const mail = await db.emailMessage.findFirstOrThrow({
      where: { ticketId: ticket.id, kind: "resolved" },
    });
    const good = `https://help.example.com/csat/${token}?rating=good`;
    expect(mail.html).toContain("How did we do?");
    expect(mail.html).toContain(`href="${good}"`);
    expect(mail.text).toContain(good);
    expect(mail.text).toContain(`https://help.example.com/csat/${token}?rating=bad`);
  }, 120_000);

  it("opening the link shows the choice and records nothing", async () => {
    const { survey, token } = await openSurvey();
    const before = await auditCount();
    const tree = await page(token, "good");
    // The form with "Good" preselected; nothing is sent until its Send button.
    expect(propsOf(tree, CsatLinkForm)).toEqual({ token, rating: "GOOD" });
    expect(await db.csatSurvey.findUniqueOrThrow({ where: { id: survey.id } })).toMatchObject({
      rating: null,
      answeredAt: null,
    });
    expect(await auditCount()).toBe(before);
  });

  it("Send records the answer once, as the requester's; a used link says so", async () => {
    const { ticket, survey, token } = await openSurvey();
    await actAs(state, null);
    const answer = { token, rating: "BAD", comment: "<b>slow</b>" };
    expect(await answerCsatLinkAction(answer)).toMatchObject({
      ok: true,
      data: { ticketNumber: ticket.number, rating: "BAD" },
    });
    const row = await db.csatSurvey.findUniqueOrThrow({ where: { id: survey.id } });
    expect(row).toMatchObject({ rating: "BAD", comment: "<b>slow</b>" });
    const [event] = await auditFor(ticket.id, "csat.answered");
    expect(event).toMatchObject({ actorId: requester.actor.id, metadata: { via: "link" } });

    await actAs(state, null);
    expect(await answerCsatLinkAction({ ...answer, rating: "GOOD" })).toMatchObject({
      ok: false,
      formError: expect.stringMatching(/already used/),
    });
    expect((await db.csatSurvey.findUniqueOrThrow({ where: { id: survey.id } })).rating).toBe(
      "BAD",
    );
    expect(textOf(await page(token, "good"))).toContain("already answered");
    expect(propsOf(await page(token, "good"), CsatLinkForm)).toBeNull();
  });

  it("refuses an expired, a forged or another key's token, changing nothing", async () => {
    const { survey, token } = await openSurvey();
    const forged = randomBytes(32).toString("base64url");
    const otherKey = csatToken(survey.id, "another-secret-of-at-least-32-characters-long");
    const before = await auditCount();
    for (const t of [forged, otherKey]) {
      await actAs(state, null);
      expect(await answerCsatLinkAction({ token: t, rating: "GOOD" })).toMatchObject({
        ok: false,
        formError: expect.stringMatching(/Nothing was recorded/),
      });
      expect(textOf(await page(t))).toContain("not a survey link");
    }
    await db.csatSurvey.update({
      where: { id: survey.id },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    await actAs(state, null);
    expect(await answerCsatLinkAction({ token, rating: "GOOD" })).toMatchObject({ ok: false });
    expect(textOf(await page(token))).toContain("expired");
    expect(await db.csatSurvey.findUniqueOrThrow({ where: { id: survey.id } })).toMatchObject({
      rating: null,
      answeredAt: null,
      tokenHash: csatTokenHash(token),
    });
    expect(await auditCount()).toBe(before);
  });
});
