import "server-only";
// Every ticket read, scoped to the viewer: a row is never loaded by id alone. The scopes come from
// the permission table: "ticket:read" decides which tickets (all, or the viewer's own), "ticket:note"
// whether internal notes come along; unknown and forbidden ids are the same NotFoundError.
// Lists, counts and search live in lib/tickets/search.ts (keyset pagination over raw SQL).
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { can, canOn, canOnAny, scopeOf, type Role } from "@/lib/auth/permissions";
import { NotFoundError } from "@/lib/errors";
import { storedHtml } from "@/lib/markdown/render";
import type { Viewer } from "@/lib/service-context";
import { allowedTransitions, type TicketPriority, type TicketStatus } from "@/lib/tickets/status";

/** Who reads (lib/service-context.ts): reads scope to the viewer's id and role. */
export type TicketViewer = Viewer;

/**
 * The scope every ticket query starts from: the viewer's "ticket:read" scope (every ticket, their
 * own, or none). Soft-deleted tickets are invisible to everyone.
 */
export function visibleTo(viewer: TicketViewer): Prisma.TicketWhereInput {
  switch (scopeOf(viewer.role, "ticket:read")) {
    case "all":
      return { deletedAt: null };
    case "own":
      return { requesterId: viewer.id, deletedAt: null };
    case "none":
      return { id: { in: [] } };
  }
}

/**
 * Comments this viewer may read: public replies, and internal notes where their "ticket:note"
 * scope reaches (a requester never gets a note, whatever they ask for).
 */
export function visibleComments(viewer: TicketViewer): Prisma.TicketCommentWhereInput {
  switch (scopeOf(viewer.role, "ticket:note")) {
    case "all":
      return {};
    case "own":
      return { OR: [{ internal: false }, { ticket: { requesterId: viewer.id } }] };
    case "none":
      return { internal: false };
  }
}

const PERSON = { select: { id: true, name: true } } as const;

export const TICKET_LIST_SELECT = {
  id: true,
  number: true,
  title: true,
  status: true,
  priority: true,
  version: true,
  createdAt: true,
  updatedAt: true,
  firstResponseAt: true,
  resolvedAt: true,
  closedAt: true,
  slaDueAt: true,
  slaWarnAt: true,
  slaPausedAt: true,
  category: PERSON,
  requester: PERSON,
  assignee: PERSON,
} as const satisfies Prisma.TicketSelect;

export type TicketPerson = { id: string; name: string };

export type TicketListItem = {
  id: string;
  number: number;
  title: string;
  status: TicketStatus;
  priority: TicketPriority;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  /** The earliest unmet SLA due time and its "at risk" moment (null: paused, stopped or none). */
  slaDueAt: Date | null;
  slaWarnAt: Date | null;
  slaPausedAt: Date | null;
  category: TicketPerson;
  requester: TicketPerson;
  assignee: TicketPerson | null;
};

export type TicketCommentView = {
  id: string;
  body: string;
  /** Sanitised HTML of the body (rendered when written; lib/markdown/render.ts). */
  html: string;
  /** Always false for a user viewer: internal notes are filtered out in the query. */
  internal: boolean;
  createdAt: Date;
  author: { id: string; name: string; role: Role };
};

/** What the viewer may do on this ticket: the UI shows only these; the server re-checks. */
export type TicketAbilities = {
  edit: boolean;
  triage: boolean;
  reply: boolean;
  note: boolean;
  delete: boolean;
  /** Status moves the viewer may make from the current status. */
  transitions: TicketStatus[];
};

export type TicketDetail = TicketListItem & {
  description: string;
  /** Sanitised HTML of the description (rendered when written). */
  descriptionHtml: string;
  requester: TicketPerson & { email: string };
  /** The comments shown, oldest first: all of them, or a window (see commentWindow). */
  comments: TicketCommentView[];
  commentWindow: CommentWindow;
  can: TicketAbilities;
  /** The closed ticket this one follows up, and the follow-ups of this one: only those the
   * viewer may read (a staff-made link to someone else's ticket shows nothing to a requester). */
  followUpOf: TicketLink | null;
  followUps: TicketLink[];
};

export type TicketLink = { number: number; title: string };

/**
 * Which comments a ticket page shows (issue 10 §1: the cost of a page is bounded however long
 * the conversation). Up to COMMENT_PAGE comments: all of them when there are no more; else the
 * first COMMENT_HEAD and the last COMMENT_PAGE - COMMENT_HEAD; or, when the viewer asked for an
 * offset ("show earlier replies"), COMMENT_PAGE comments from there.
 */
export type CommentWindow = {
  total: number;
  /** Runs of consecutive comments shown: offset of the first one and how many. */
  runs: { offset: number; count: number }[];
};
export const COMMENT_PAGE = 50;
export const COMMENT_HEAD = 5;

/** Offsets of the runs to show (pure; exported for tests). */
export function commentRuns(
  total: number,
  from: number | undefined,
): { offset: number; count: number }[] {
  if (total <= COMMENT_PAGE) return total > 0 ? [{ offset: 0, count: total }] : [];
  if (from === undefined) {
    const tail = COMMENT_PAGE - COMMENT_HEAD;
    return [
      { offset: 0, count: COMMENT_HEAD },
      { offset: total - tail, count: tail },
    ];
  }
  const offset = Math.min(Math.max(0, from), total - COMMENT_PAGE);
  return [{ offset, count: COMMENT_PAGE }];
}

/**
 * "ticket:edit": on any ticket with scope "all"; with scope "own", on one's own ticket while it is
 * NEW (once the help desk picked it up, the requester replies instead).
 */
export function mayEdit(
  viewer: TicketViewer,
  ticket: { requesterId: string; status: TicketStatus },
): boolean {
  return (
    canOnAny(viewer, "ticket:edit") ||
    (canOn(viewer, "ticket:edit", ticket.requesterId) && ticket.status === "NEW")
  );
}

export function abilitiesFor(
  viewer: TicketViewer,
  ticket: { requesterId: string; status: TicketStatus },
): TicketAbilities {
  const isRequester = ticket.requesterId === viewer.id;
  const closed = ticket.status === "CLOSED";
  return {
    edit: mayEdit(viewer, ticket),
    triage: can(viewer, "ticket:triage"),
    reply: !closed && canOn(viewer, "ticket:comment", ticket.requesterId),
    note: can(viewer, "ticket:note"),
    delete: can(viewer, "ticket:delete"),
    transitions: allowedTransitions({ role: viewer.role, isRequester }, ticket.status),
  };
}

/**
 * One ticket with its conversation (oldest first), by number (#1042) or id. Internal notes are
 * included for staff only. Throws NotFoundError for unknown, deleted and not-yours alike.
 */
export async function getTicket(
  viewer: TicketViewer,
  ref: { number: number } | { id: string },
  options: { commentsFrom?: number } = {},
): Promise<TicketDetail> {
  const where: Prisma.TicketWhereInput = "number" in ref ? { number: ref.number } : { id: ref.id };
  const row = await db.ticket.findFirst({
    where: { ...where, ...visibleTo(viewer) },
    select: {
      ...TICKET_LIST_SELECT,
      description: true,
      descriptionHtml: true,
      descriptionHtmlVersion: true,
      requesterId: true,
      followUpOfId: true,
      requester: { select: { id: true, name: true, email: true } },
    },
  });
  if (!row) throw new NotFoundError("Ticket not found.");
  const { requesterId, followUpOfId, descriptionHtml, descriptionHtmlVersion, ...ticket } = row;
  // A count of its own, not `_count` in the select above: Prisma turns that into a join with
  // the comment counts of EVERY ticket (a GROUP BY over the whole table, seconds at a million
  // tickets; found by `npm run bench -- --load`). This one reads the ticket's index range.
  const [total, followUpOf, followUps] = await Promise.all([
    db.ticketComment.count({ where: { ticketId: row.id, ...visibleComments(viewer) } }),
    followUpOfId
      ? db.ticket.findFirst({
          where: { id: followUpOfId, ...visibleTo(viewer) },
          select: TICKET_LINK_SELECT,
        })
      : null,
    db.ticket.findMany({
      where: { followUpOfId: row.id, ...visibleTo(viewer) },
      orderBy: { number: "asc" },
      take: 20,
      select: TICKET_LINK_SELECT,
    }),
  ]);
  const runs = commentRuns(total, options.commentsFrom);
  const rows = (
    await Promise.all(
      runs.map((run) =>
        db.ticketComment.findMany({
          where: { ticketId: row.id, ...visibleComments(viewer) },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          skip: run.offset,
          take: run.count,
          select: COMMENT_SELECT,
        }),
      ),
    )
  ).flat();
  const comments = rows.map(({ bodyHtml, bodyHtmlVersion, ...comment }) => ({
    ...comment,
    html: storedHtml(comment.body, bodyHtml, bodyHtmlVersion),
  }));
  return {
    ...ticket,
    descriptionHtml: storedHtml(ticket.description, descriptionHtml, descriptionHtmlVersion),
    comments,
    commentWindow: { total, runs },
    can: abilitiesFor(viewer, { requesterId, status: row.status }),
    followUpOf,
    followUps,
  };
}

const TICKET_LINK_SELECT = { number: true, title: true } as const;

/**
 * The ticket a new one would follow up ("Report a follow-up" on a closed ticket): by number,
 * only when the viewer may read it and it is closed; null otherwise (the form then simply has no
 * link; the server checks again when the ticket is created).
 */
export async function getFollowUpTarget(
  viewer: TicketViewer,
  number: number,
): Promise<(TicketLink & { id: string }) | null> {
  return db.ticket.findFirst({
    where: { number, status: "CLOSED", ...visibleTo(viewer) },
    select: { id: true, ...TICKET_LINK_SELECT },
  });
}

const COMMENT_SELECT = {
  id: true,
  body: true,
  bodyHtml: true,
  bodyHtmlVersion: true,
  internal: true,
  createdAt: true,
  author: { select: { id: true, name: true, role: true } },
} satisfies Prisma.TicketCommentSelect;

/** People a ticket may be assigned to (active technicians and admins), for triage pickers. */
export async function listAssignableStaff(viewer: TicketViewer): Promise<TicketPerson[]> {
  if (!can(viewer, "ticket:triage")) return [];
  return db.user.findMany({
    where: { active: true, role: { in: ["TECHNICIAN", "ADMIN"] } },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true, name: true },
  });
}

export type TicketEvent = {
  id: string;
  createdAt: Date;
  action: string;
  actor: { id: string; name: string | null; role: Role | null } | null;
  before: unknown;
  after: unknown;
  metadata: unknown;
};

/**
 * The ticket's audit events (changes of status, priority, category, assignee, edits), oldest
 * first, for the timeline of those who triage. Others (requesters) get an empty list: their
 * timeline is the public conversation only. The ticket must be visible (else NotFoundError).
 */
export async function getTicketEvents(
  viewer: TicketViewer,
  ticketId: string,
  options: { limit?: number } = {},
): Promise<TicketEvent[]> {
  const ticket = await db.ticket.findFirst({
    where: { id: ticketId, ...visibleTo(viewer) },
    select: { id: true },
  });
  if (!ticket) throw new NotFoundError("Ticket not found.");
  if (!can(viewer, "ticket:triage")) return [];
  const events = await db.auditEvent.findMany({
    where: { entityType: "Ticket", entityId: ticket.id, outcome: "SUCCESS" },
    orderBy: { id: "asc" },
    take: Math.min(Math.max(options.limit ?? 500, 1), 2000),
    select: {
      id: true,
      createdAt: true,
      action: true,
      actorId: true,
      actorRole: true,
      before: true,
      after: true,
      metadata: true,
    },
  });
  const actorIds = [...new Set(events.map((e) => e.actorId).filter((v): v is string => !!v))];
  const names = new Map(
    (
      await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true } })
    ).map((u) => [u.id, u.name]),
  );
  return events.map((e) => ({
    id: e.id.toString(),
    createdAt: e.createdAt,
    action: e.action,
    actor: e.actorId
      ? { id: e.actorId, name: names.get(e.actorId) ?? null, role: e.actorRole }
      : null,
    before: e.before,
    after: e.after,
    metadata: e.metadata,
  }));
}

/**
 * People the viewer may file a ticket for (active users of any role; "ticket:create" on anyone's
 * behalf), for the "Requester" picker on the new-ticket form. Capped: a very large directory
 * needs a search box instead.
 */
export async function listRequesterOptions(
  viewer: TicketViewer,
  limit = 500,
): Promise<(TicketPerson & { email: string })[]> {
  if (!canOnAny(viewer, "ticket:create")) return [];
  return db.user.findMany({
    where: { active: true, id: { not: viewer.id } },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true, name: true, email: true },
  });
}
