// Live updates (issue 16 §4, docs/decisions/028-live-updates.md): what travels where, and who may
// receive it. Pure and shared by the server and the browser (no "server-only").
//
// The database announces committed changes on LIVE_CHANNEL (triggers of the migration
// live_updates); presence heartbeats travel on PRESENCE_CHANNEL. A stream passes on IDs only (the
// ticket's id and number, and what kind of change): the browser reacts with router.refresh(), and
// the server components it re-renders read the ticket with the viewer's own scope.
import { z } from "zod";
import { scopeOf, type Role } from "@/lib/auth/permissions";

export const LIVE_CHANNEL = "tessera_live";
export const PRESENCE_CHANNEL = "tessera_presence";

/** A change as the trigger announces it: `r` the requester, `p` false = staff only. */
const ChangeSchema = z.object({
  k: z.enum(["ticket", "comment"]),
  t: z.string().min(1).max(64),
  n: z.number().int(),
  r: z.string().min(1).max(64),
  p: z.boolean(),
});

export type ChangeNotice = {
  kind: "ticket" | "comment";
  ticketId: string;
  number: number;
  requesterId: string;
  /** False for internal notes and for changes of columns only staff see. */
  public: boolean;
};

/** What a stream sends for a change: IDs and the kind, never content. */
export type LiveChange = { kind: "ticket" | "comment"; ticketId: string; number: number };

export function parseChange(payload: string): ChangeNotice | null {
  try {
    const c = ChangeSchema.parse(JSON.parse(payload));
    return { kind: c.k, ticketId: c.t, number: c.n, requesterId: c.r, public: c.p };
  } catch {
    return null;
  }
}

export type LiveViewer = { id: string; role: Role };

/**
 * The change as this viewer may receive it, or null. The same scopes as the reads
 * (lib/tickets/queries.ts): "ticket:read" all = every change; "own" = their own tickets' public
 * changes only (never an internal note, never a staff-only field).
 */
export function changeFor(viewer: LiveViewer, change: ChangeNotice): LiveChange | null {
  const event: LiveChange = { kind: change.kind, ticketId: change.ticketId, number: change.number };
  switch (scopeOf(viewer.role, "ticket:read")) {
    case "all":
      return change.public || scopeOf(viewer.role, "ticket:note") === "all" ? event : null;
    case "own":
      return change.public && change.requesterId === viewer.id ? event : null;
    case "none":
      return null;
  }
}

// ---- presence ("Ada is replying…"): staff only ----

export const PRESENCE_STATES = ["viewing", "replying", "left"] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

/** The heartbeat the ticket page posts (POST /api/live/presence). */
export const PresenceSchema = z.object({
  ticketId: z.string().regex(/^[a-z0-9]{1,40}$/, "Not a ticket id."),
  state: z.enum(PRESENCE_STATES),
});
export type PresenceInput = z.infer<typeof PresenceSchema>;

/** Who may send and see presence: those who see internal notes (staff). */
export function mayUsePresence(role: Role): boolean {
  return scopeOf(role, "ticket:note") === "all";
}

const PresenceNoticeSchema = z.object({
  t: z.string().min(1).max(64),
  u: z.string().min(1).max(64),
  name: z.string().max(200),
  s: z.enum(PRESENCE_STATES),
});

export type PresenceNotice = {
  ticketId: string;
  userId: string;
  name: string;
  state: PresenceState;
};

export function presencePayload(p: PresenceNotice): string {
  return JSON.stringify({ t: p.ticketId, u: p.userId, name: p.name, s: p.state });
}

export function parsePresence(payload: string): PresenceNotice | null {
  try {
    const p = PresenceNoticeSchema.parse(JSON.parse(payload));
    return { ticketId: p.t, userId: p.u, name: p.name, state: p.s };
  } catch {
    return null;
  }
}

/** One other person on the ticket, as the page shows them. */
export type PresencePerson = { userId: string; name: string; state: "viewing" | "replying" };

/** The line near the reply box: "Ada is replying…", "Ben is viewing". */
export function presenceText(people: PresencePerson[]): string[] {
  const sorted = [...people].sort(
    (a, b) =>
      Number(b.state === "replying") - Number(a.state === "replying") ||
      a.name.localeCompare(b.name),
  );
  return sorted.map((p) =>
    p.state === "replying" ? `${p.name} is replying…` : `${p.name} is viewing`,
  );
}
