// T3 access matrix (SECURITY.md, ADR 012): every exported server action, with the permission it
// needs, the objects it acts on, how to build valid input for an object, and how to see its
// effect in the database. Expectations are never written here: t3-access-matrix.test.ts computes
// them from lib/auth/permissions.ts (scopeOf) and the objects' owners.
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import sharp from "sharp";
import { expect } from "vitest";
import type { Permission, Role } from "@/lib/auth/permissions";
import type { Db } from "@/lib/db";
import { hashReauthToken } from "@/lib/auth/reauth";
import { verifyPassword } from "@/lib/auth/password";
import { encryptSecret } from "@/lib/auth/mfa/crypto";
import { decodeMfaKey } from "@/lib/auth/mfa/key";
import { mfaRequiredFor } from "@/lib/auth/mfa/policy";
import { generateTotpSecret, totpCode } from "@/lib/auth/mfa/totp";
import { csatToken, csatTokenHash } from "@/lib/csat/token";
import { kindsFor } from "@/lib/email/kinds";
import { newWebhookSecret, sealWebhookSecret } from "@/lib/webhooks/secret";
import { settleAfter } from "@/tests/support/after";
import { factoryTotp } from "@/tests/support/factories";

export type UserRef = {
  id: string;
  email: string;
  password: string;
  sessionVersion: number;
  /** TOTP secret (base32) of an MFA-enrolled factory user. */
  mfaSecret: string | null;
};
export type TicketRef = { id: string; number: number; version: number };

/** The rows one cell works on: created fresh for every cell, so cells cannot disturb each other. */
export type World = {
  db: Db;
  tag: string;
  requestId: string;
  /** The principal's own account (null: anonymous). */
  actor: UserRef | null;
  /** The effective role the principal should act with (null: no valid session). */
  actorRole: Role | null;
  a: UserRef;
  b: UserRef;
  /** An active technician: assignee and default-assignee target. */
  staff: UserRef;
  /** A plain user that the user-management actions act on. */
  target: UserRef;
  ticketA: TicketRef;
  ticketB: TicketRef;
  note: { id: string; ticketId: string };
  category: { id: string; name: string; position: number };
  otherCategory: { id: string };
  /** The browser's cookie jar (session cookie excluded), e.g. the reauth cookie. */
  jar: Map<string, string>;
  reauthToken: string | null;
  /** The pending-MFA token of a password step (set by the MFA sign-in entry's prepare). */
  mfaToken?: string;
  /** The TOTP secret a prepare step gave the account under test. */
  totpSecret?: string;
  /** Runs a call as another browser (own request id), for set-up steps. */
  asOther?: <T>(fn: () => Promise<T>) => Promise<T>;
};

/**
 * Objects and their owners. `foreign`: how a role with scope "own" is refused on an object it
 * does not own ("not-found": the object is hidden, like an unknown id; "forbidden": refused).
 */
export const OBJECTS = {
  ticketOfA: { owner: (w: World) => w.a.id, foreign: "not-found" },
  ticketOfB: { owner: (w: World) => w.b.id, foreign: "not-found" },
  internalNoteOnA: { owner: (w: World) => w.a.id, foreign: "not-found" },
  newTicketForA: { owner: (w: World) => w.a.id, foreign: "forbidden" },
  newTicketForB: { owner: (w: World) => w.b.id, foreign: "forbidden" },
  aUser: { owner: (w: World) => w.target.id, foreign: "forbidden" },
  newUser: { owner: () => null, foreign: "forbidden" },
  aCategory: { owner: () => null, foreign: "forbidden" },
  newCategory: { owner: () => null, foreign: "forbidden" },
  auditLog: { owner: () => null, foreign: "forbidden" },
  /** An anomaly on the Security page (lib/security/anomaly.ts). */
  anAnomaly: { owner: () => null, foreign: "forbidden" },
  /** A mail on the admin Email page (lib/email/queries.ts). */
  anEmail: { owner: () => null, foreign: "forbidden" },
  /** The caller's own account and session. */
  ownAccount: { owner: (w: World) => w.actor?.id ?? null, foreign: "forbidden" },
  /** A saved list view of user A (private to its owner whatever the role). */
  savedViewOfA: { owner: (w: World) => w.a.id, foreign: "not-found" },
  /** A saved view the caller creates for themself. */
  newSavedView: { owner: (w: World) => w.actor?.id ?? null, foreign: "forbidden" },
  /** Public: the sign-in form. */
  signInForm: { owner: () => null, foreign: "forbidden" },
  /** The installation's settings (/admin/settings, lib/settings). */
  instanceSettings: { owner: () => null, foreign: "forbidden" },
  // ---- attachments (issue 13, ADR 021) ----
  /** An image in the description of a ticket user A opened (uploaded by A, claimed by it). */
  fileOnTicketOfA: { owner: (w: World) => w.a.id, foreign: "not-found" },
  /**
   * An image of a technician's internal note on A's ticket: staff only. No "own" scope reaches
   * it (not even the ticket's requester), so it has no owner among the principals.
   */
  fileOnNoteOnA: { owner: () => null, foreign: "not-found" },
  /**
   * A text file A uploaded and has not sent with a message yet: A's alone, whatever the role
   * (staff with scope "all" do not see it either).
   */
  uploadOfA: { owner: (w: World) => w.a.id, foreign: "not-found", ownerOnly: true },
  /** A file the caller uploads (POST /api/attachments): theirs. */
  newUpload: { owner: (w: World) => w.actor?.id ?? null, foreign: "forbidden" },
  /** The caller's own work on /reports (scope "own"); everyone's with scope "all". */
  ownWork: { owner: (w: World) => w.actor?.id ?? null, foreign: "forbidden" },
  // ---- service levels (issue 15) ----
  /** The open "How did we do?" survey of A's resolved ticket: A answers it. */
  surveyOfA: { owner: (w: World) => w.a.id, foreign: "not-found" },
  /**
   * The survey of B's resolved ticket reached by its mailed link: the token is the proof, no
   * session needed (B, because a deactivated requester's link answers nothing and one principal
   * is A deactivated).
   */
  surveyLinkOfB: { owner: () => null, foreign: "forbidden" },
  /** Time a technician (the world's staff member) logged on A's ticket. */
  timeOfStaff: { owner: (w: World) => w.staff.id, foreign: "forbidden" },
  /** Time the caller logged on A's ticket themself. */
  ownTime: { owner: (w: World) => w.actor?.id ?? null, foreign: "forbidden" },
  // ---- service levels (issue 15, ADR 024) ----
  /** A business-hours calendar (with one holiday) on /admin/service-levels. */
  aCalendar: { owner: () => null, foreign: "forbidden" },
  newCalendar: { owner: () => null, foreign: "forbidden" },
  /** An SLA policy (not the default one), after another one so it can move up. */
  aPolicy: { owner: () => null, foreign: "forbidden" },
  newPolicy: { owner: () => null, foreign: "forbidden" },
  // ---- canned responses (issue 15 §3) ----
  /** A personal canned response of the caller's own. */
  ownCanned: { owner: (w: World) => w.actor?.id ?? null, foreign: "not-found" },
  /**
   * A technician's personal canned response: theirs alone ("canned:use" is "own" for admins
   * too), hidden like an unknown id from everyone else.
   */
  cannedOfStaff: { owner: (w: World) => w.staff.id, foreign: "not-found" },
  /** A shared canned response: changed by "canned:manage" holders only. */
  sharedCanned: { owner: () => null, foreign: "forbidden" },
  /** A personal canned response the caller creates for themself. */
  newCanned: { owner: (w: World) => w.actor?.id ?? null, foreign: "forbidden" },
  /** A shared canned response the caller creates. */
  newSharedCanned: { owner: () => null, foreign: "forbidden" },
  // ---- webhooks (issue 16 §3, ADR 027) ----
  /** A webhook on /admin/webhooks, with one delivery in its log. */
  aWebhook: { owner: () => null, foreign: "forbidden" },
  newWebhook: { owner: () => null, foreign: "forbidden" },
  // ---- API tokens (issue 16 §2, ADR 025) ----
  /** A personal access token the caller creates for themself (always their own). */
  newOwnToken: { owner: (w: World) => w.actor?.id ?? null, foreign: "forbidden" },
  /** A token of the caller's own. */
  ownToken: { owner: (w: World) => w.actor?.id ?? null, foreign: "not-found" },
  /** A token of user A: hidden like an unknown id from everyone but A and admins. */
  tokenOfA: { owner: (w: World) => w.a.id, foreign: "not-found" },
  /** A service account (kind SERVICE) whose tokens admins make. */
  aServiceAccount: { owner: () => null, foreign: "forbidden" },
} as const satisfies Record<string, ObjectSpec>;
export type ObjectKey = keyof typeof OBJECTS;

export type ObjectSpec = {
  owner: (w: World) => string | null;
  foreign: "not-found" | "forbidden";
  /** Only its owner may act on it, even a role whose scope is "all" (an unsent upload). */
  ownerOnly?: boolean;
};

/** What a route handler answered with a 2xx status (the `data` of its "ok" outcome). */
export type RouteAnswer = { status: number; headers: Headers; body: Buffer };

/** What a call produced, normalised across actions, redirects and the route handler. */
export type Outcome =
  | { kind: "ok"; data: unknown }
  | { kind: "redirect"; location: string }
  | { kind: "refused"; message: string };

export type Entry = {
  /** "action": an exported server action; "route": a route handler; "read": a page's read path. */
  kind: "action" | "route" | "read";
  module: string;
  export: string;
  /** The audit action name of a refusal (null: refusals of this read path are not audited). */
  audit: string | null;
  /** null: public or session-only (allowed to everyone). */
  permission: Permission | null;
  objects: ObjectKey[];
  /** Ends by redirecting (sign-in, sign-out, password change). */
  redirects?: boolean;
  /** Put the object in a state where the action is legal (e.g. RESOLVED before close). */
  prepare?: (w: World, o: ObjectKey) => Promise<void>;
  input: (w: World, o: ObjectKey) => unknown;
  /** Routes with a dynamic segment: the route's second argument is `{ params: Promise<…> }`. */
  params?: (w: World, o: ObjectKey) => Record<string, string>;
  /**
   * Routes that take a raw body (an upload): sent as a same-origin POST with these bytes and
   * headers instead of a form POST.
   */
  rawBody?: (w: World, o: ObjectKey) => { body: Uint8Array; headers: Record<string, string> };
  /** Reads: did the caller get to see the object (a page may load but leave parts out)? */
  visible?: (w: World, o: ObjectKey, data: unknown) => boolean;
  /**
   * A rule beyond the permission table that refuses a role anyway (the MFA policy: staff may not
   * turn their own MFA off). Computed from the policy function, not written per cell.
   */
  refusedFor?: (role: Role) => boolean;
  /** Asserts the effect of an allowed call in the database. */
  verify: (w: World, o: ObjectKey, outcome: Outcome) => Promise<void>;
};

const ticketOf = (w: World, o: ObjectKey): TicketRef =>
  o === "ticketOfB" || o === "newTicketForB" ? w.ticketB : w.ticketA;
const ownerOf = (w: World, o: ObjectKey) => (o === "newTicketForB" ? w.b : w.a);
const ticketRow = (w: World, o: ObjectKey) =>
  w.db.ticket.findUniqueOrThrow({ where: { id: ticketOf(w, o).id } });
const userRow = (w: World, id: string) => w.db.user.findUniqueOrThrow({ where: { id } });
const ref = (w: World, o: ObjectKey) => ({
  ticketId: ticketOf(w, o).id,
  version: ticketOf(w, o).version,
});

async function resolveTicket(w: World, o: ObjectKey) {
  const t = ticketOf(w, o);
  await w.db.ticket.update({
    where: { id: t.id },
    data: { status: "RESOLVED", resolvedAt: new Date(), version: { increment: 1 } },
  });
  t.version += 1;
}

/** Exactly one comment with `body` exists: on the object's ticket, by the actor, `internal` or not. */
async function expectOneComment(w: World, o: ObjectKey, body: string, internal: boolean) {
  const rows = await w.db.ticketComment.findMany({ where: { body } });
  expect(rows.map((c) => [c.ticketId, c.authorId, c.internal])).toEqual([
    [ticketOf(w, o).id, w.actor!.id, internal],
  ]);
}

async function successEvent(w: World, action: string) {
  const events = await w.db.auditEvent.findMany({
    where: { requestId: w.requestId, action, outcome: "SUCCESS" },
  });
  expect(events.length, `a SUCCESS audit event ${action}`).toBeGreaterThan(0);
  return events;
}

/** Test set-up: puts an account's MFA in a known state (off, pending enrollment, on). */
async function setMfa(w: World, userId: string | undefined, state: "off" | "pending" | "on") {
  if (!userId) return;
  const secret = generateTotpSecret();
  const key = decodeMfaKey(process.env.MFA_ENCRYPTION_KEY ?? "");
  if (!key) throw new Error("MFA_ENCRYPTION_KEY is not set");
  await w.db.user.update({
    where: { id: userId },
    data: {
      mfaSecret: state === "on" ? encryptSecret(secret, key) : null,
      mfaPendingSecret: state === "pending" ? encryptSecret(secret, key) : null,
      mfaEnabledAt: state === "on" ? new Date() : null,
      mfaLastStep: null,
    },
  });
  w.totpSecret = secret;
}
const cellCode = (w: World) => (w.totpSecret ? totpCode(w.totpSecret, Date.now()) : "000000");
const MFA_MOD = "@/lib/auth/mfa/actions";

const TICKETS = ["ticketOfA", "ticketOfB"] as const satisfies ObjectKey[];
const TICKETS_MOD = "@/lib/tickets/actions";
const USERS_MOD = "@/lib/users/actions";
const AUTH_MOD = "@/lib/auth/actions";
const CATEGORIES_MOD = "@/lib/categories/actions";
const AUDIT_MOD = "@/lib/audit/actions";
const SECURITY_MOD = "@/lib/security/actions";
const VIEWS_MOD = "@/lib/saved-views/actions";
const RESET_MOD = "@/lib/auth/reset-actions";
const EMAIL_MOD = "@/lib/email/actions";
const SETTINGS_MOD = "@/lib/settings/actions";
const CANNED_MOD = "@/lib/canned/actions";
const WEBHOOK_MOD = "@/lib/webhooks/actions";

/** The webhook and delivery each cell's prepare step made, by world tag. */
const webhookIds = new Map<string, { webhookId: string; deliveryId: string }>();
async function makeWebhook(w: World) {
  // A closed port on loopback (allowed explicitly): nothing is ever listening there.
  const row = await w.db.webhook.create({
    data: {
      name: `T3 hook ${w.tag}`,
      url: "http://127.0.0.1:9/t3",
      events: ["ticket.created"],
      secretEncrypted: sealWebhookSecret(newWebhookSecret()),
      allowPrivate: true,
      active: true,
      deliveries: {
        create: {
          id: `t3-delivery-${w.tag}`,
          eventType: "webhook.test",
          payload: { id: `t3-delivery-${w.tag}`, type: "webhook.test", createdAt: "", data: {} },
          status: "FAILED",
        },
      },
    },
  });
  webhookIds.set(w.tag, { webhookId: row.id, deliveryId: `t3-delivery-${w.tag}` });
}
const webhookOf = (w: World) => webhookIds.get(w.tag) ?? { webhookId: "none", deliveryId: "none" };
const WEBHOOK_INPUT = {
  url: "http://127.0.0.1:9/t3",
  events: ["ticket.created", "sla.breached"],
  allowPrivate: true,
  active: false,
};
const CSAT_MOD = "@/lib/csat/actions";
const TOKENS_MOD = "@/lib/api-tokens/actions";

/** The tokens (own, A's) and service account each cell's prepare step made, by world tag. */
const tokenIds = new Map<string, { own: string; ofA: string; service: string }>();
async function makeTokens(w: World) {
  const token = (userId: string, what: string) =>
    w.db.apiToken.create({
      data: {
        userId,
        name: `T3 ${what} ${w.tag}`,
        prefix: "tsr_pat_t3t3t3",
        secretHash: createHash("sha256").update(`${what}-${w.tag}`).digest("hex"),
        scopes: ["tickets:read"],
      },
      select: { id: true },
    });
  const own = w.actor ? (await token(w.actor.id, "own")).id : "none";
  const ofA = (await token(w.a.id, "ofA")).id;
  const service = await w.db.user.create({
    data: {
      email: `svc-t3-${w.tag}@service.invalid`.toLowerCase(),
      name: `T3 service ${w.tag}`,
      role: "TECHNICIAN",
      kind: "SERVICE",
      passwordHash: "!unusable",
    },
    select: { id: true },
  });
  tokenIds.set(w.tag, { own, ofA, service: service.id });
}
const tokenId = (w: World, o: ObjectKey) =>
  (o === "tokenOfA" ? tokenIds.get(w.tag)?.ofA : tokenIds.get(w.tag)?.own) ?? "none";

/** The survey (id, link token) each cell's prepare step opened on A's resolved ticket. */
const surveys = new Map<string, { id: string; token: string }>();
const surveyOf = (w: World) => surveys.get(w.tag) ?? { id: "none", token: "x".repeat(43) };
async function makeSurvey(w: World, o: ObjectKey) {
  const ofB = o === "surveyLinkOfB";
  await resolveTicket(w, ofB ? "ticketOfB" : "ticketOfA");
  const id = `csat_t3_${w.tag}`.replace(/[^A-Za-z0-9_]/g, "_");
  const token = csatToken(id);
  await w.db.csatSurvey.create({
    data: {
      id,
      ticketId: (ofB ? w.ticketB : w.ticketA).id,
      requesterId: (ofB ? w.b : w.a).id,
      categoryId: w.category.id,
      resolvedAt: new Date(),
      expiresAt: new Date(Date.now() + 86_400_000),
      tokenHash: csatTokenHash(token),
    },
  });
  surveys.set(w.tag, { id, token });
}
/** The time entry each cell's prepare step logged on A's ticket, by world tag. */
const timeEntries = new Map<string, string>();
async function makeTimeEntry(w: World, o: ObjectKey) {
  const userId = o === "ownTime" ? w.actor?.id : w.staff.id;
  if (!userId) return;
  const row = await w.db.timeEntry.create({
    data: {
      ticketId: w.ticketA.id,
      categoryId: w.category.id,
      userId,
      minutes: 30,
      workDate: new Date("2026-01-05"),
    },
  });
  timeEntries.set(w.tag, row.id);
}
const timeEntryId = (w: World) => timeEntries.get(w.tag) ?? "none";
const TIME_MOD = "@/lib/time/actions";

async function expectAnswered(w: World, rating: string, via: "ticket" | "link") {
  const row = await w.db.csatSurvey.findUniqueOrThrow({ where: { id: surveyOf(w).id } });
  expect([row.rating, row.answeredAt instanceof Date]).toEqual([rating, true]);
  const [event] = await successEvent(w, "csat.answered");
  const [requester, ticket] = via === "link" ? [w.b, w.ticketB] : [w.a, w.ticketA];
  expect(event).toMatchObject({ actorId: requester.id, entityId: ticket.id, metadata: { via } });
}
const SLA_MOD = "@/lib/sla/actions";

/** The calendar, its holiday and the policy each cell's prepare step made, by world tag. */
const slaIds = new Map<string, { calendarId: string; holidayId: string; policyId: string }>();
async function makeSlaObjects(w: World) {
  const calendar = await w.db.businessCalendar.create({
    data: {
      name: `T3 calendar ${w.tag}`,
      timeZone: "Europe/Berlin",
      windows: [{ day: 1, start: 540, end: 1020 }],
      holidays: { create: { date: new Date("2026-12-25T00:00:00Z"), name: "Christmas" } },
    },
    include: { holidays: true },
  });
  // The last two before the default policy: moving the second up swaps exactly these two.
  const last = await w.db.slaPolicy.aggregate({
    where: { isDefault: false },
    _max: { position: true },
  });
  const top = (last._max.position ?? 0) + 1;
  const policy = (name: string, position: number) =>
    w.db.slaPolicy.create({
      data: { name: `${name} ${w.tag}`, position, active: false, calendarId: "calendar_24_7" },
    });
  await policy("T3 first", top);
  const second = await policy("T3 policy", top + 1);
  slaIds.set(w.tag, {
    calendarId: calendar.id,
    holidayId: calendar.holidays[0]!.id,
    policyId: second.id,
  });
}
const sla = (w: World) =>
  slaIds.get(w.tag) ?? { calendarId: "none", holidayId: "none", policyId: "none" };
// Inactive: a policy left behind must not apply to other tests' tickets (the database is shared).
const SLA_POLICY_INPUT = {
  active: false,
  priorities: ["URGENT"],
  categoryIds: [],
  calendarId: "calendar_24_7",
  firstResponseHours: "1",
  firstResponseMinutes: "",
  nextResponseHours: "",
  nextResponseMinutes: "",
  resolutionHours: "8",
  resolutionMinutes: "",
  atRiskPercent: "20",
};
const T3_ICS = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//t3//EN",
  "BEGIN:VEVENT",
  "UID:t3",
  "DTSTART;VALUE=DATE:20261231",
  "SUMMARY:New Year's Eve",
  "END:VEVENT",
  "END:VCALENDAR",
].join("\r\n");

/** The reset token each cell's prepare step made for the target, by world tag. */
const resetTokens = new Map<string, string>();
async function makeResetToken(w: World) {
  const token = randomBytes(32).toString("base64url");
  await w.db.passwordResetToken.create({
    data: {
      userId: w.target.id,
      tokenHash: createHash("sha256").update(token).digest("hex"),
      expiresAt: new Date(Date.now() + 30 * 60_000),
    },
  });
  resetTokens.set(w.tag, token);
}
/** The received message each cell's prepare step recorded, by world tag. */
const inboundIds = new Map<string, string>();
/** The address of the mail each cell's prepare step queued, by world tag. */
const emailAddresses = new Map<string, string>();
async function makeEmail(w: World) {
  const address = `t3-${w.tag}@example.test`.toLowerCase();
  await w.db.emailMessage.create({
    data: {
      kind: "reply",
      toAddress: address,
      messageId: `t3.${w.tag}@example.test`,
      subject: `T3 ${w.tag}`,
      text: "text",
      html: "<p>html</p>",
      headers: {},
    },
  });
  emailAddresses.set(w.tag, address);
}

/** The saved view of A each cell's prepare step made, by world tag. */
const viewIds = new Map<string, string>();
async function makeViewOfA(w: World) {
  const row = await w.db.savedView.create({
    data: { userId: w.a.id, name: `T3 ${w.tag}`, query: "queue=open" },
  });
  viewIds.set(w.tag, row.id);
}

/** The canned responses each cell's prepare step made, by world tag. */
const cannedIds = new Map<string, { own: string | null; staff: string; shared: string }>();
/** Shared ones only where a cell needs one: they count towards the help desk's limit. */
async function makeCanned(w: World, withShared: boolean) {
  const make = (ownerId: string | null, what: string) =>
    w.db.cannedResponse.create({
      data: { title: `T3 ${what} ${w.tag}`, body: `T3 ${what} body`, ownerId },
      select: { id: true },
    });
  const own = w.actor ? (await make(w.actor.id, "own")).id : null;
  const staff = (await make(w.staff.id, "staff")).id;
  const shared = withShared ? (await make(null, "shared")).id : "none";
  cannedIds.set(w.tag, { own, staff, shared });
}
const cannedId = (w: World, o: ObjectKey) => {
  const ids = cannedIds.get(w.tag);
  const id = o === "ownCanned" ? ids?.own : o === "cannedOfStaff" ? ids?.staff : ids?.shared;
  return id ?? "none";
};
const cannedRow = (w: World, o: ObjectKey) =>
  w.db.cannedResponse.findUnique({ where: { id: cannedId(w, o) } });

/** The anomaly each cell's prepare step made, by world tag. */
const anomalyIds = new Map<string, string>();
async function makeAnomaly(w: World) {
  const row = await w.db.securityAnomaly.create({
    data: {
      rule: "audit_export",
      key: `t3-${w.tag}`,
      windowStart: new Date(),
      severity: "notice",
      summary: `T3 ${w.tag}`,
      details: {},
    },
  });
  anomalyIds.set(w.tag, row.id.toString());
}

// ---- attachments: files made through the real pipeline (lib/attachments/upload.ts, the local
// store in the temporary folders t3-access-matrix.test.ts sets up) and claimed by the real
// services, as a browser's upload followed by its message would.
const ATTACHMENT_ROUTE = "@/app/api/attachments/[id]/route";
const ORIGIN = "http://localhost:3000";
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** The file each cell's prepare step made, by world tag. */
const fileIds = new Map<string, string>();
const fileId = (w: World) => fileIds.get(w.tag) ?? "none";
/** Set-up calls write their audit rows under their own request id, not the cell's. */
const setupCtx = (w: World, user: UserRef, role: Role) => ({
  actor: { id: user.id, email: user.email, role },
  request: { requestId: `t3-setup-${w.tag}` },
});

async function upload(user: UserRef, name: string, bytes: Buffer) {
  const { receiveUpload } = await import("@/lib/attachments/upload");
  return receiveUpload({
    actor: user,
    fileName: encodeURIComponent(name),
    declaredLength: bytes.length,
    body: Readable.from([bytes]),
  });
}

const screenshot = () =>
  sharp({ create: { width: 32, height: 24, channels: 3, background: "#3366cc" } })
    .png()
    .toBuffer();

async function makeFile(w: World, o: ObjectKey) {
  let id: string;
  if (o === "fileOnTicketOfA") {
    // A opens a ticket with a screenshot in its description.
    const file = await upload(w.a, `screenshot ${w.tag}.png`, await screenshot());
    const { createTicket } = await import("@/lib/tickets/service");
    await createTicket(setupCtx(w, w.a, "USER"), {
      title: `A's screenshot ${w.tag}`,
      description: "see the screenshot",
      categoryId: w.category.id,
      attachmentIds: [file.id],
    });
    id = file.id;
  } else if (o === "fileOnNoteOnA") {
    // A technician adds an internal note with a screenshot to A's ticket.
    const file = await upload(w.staff, `internal ${w.tag}.png`, await screenshot());
    const { addInternalNote } = await import("@/lib/tickets/comments");
    await addInternalNote(setupCtx(w, w.staff, "TECHNICIAN"), {
      ticketId: w.ticketA.id,
      body: `internal screenshot ${w.tag}`,
      attachmentIds: [file.id],
    });
    id = file.id;
  } else {
    // A has uploaded a log but not sent it with a message yet.
    id = (await upload(w.a, `log ${w.tag}.txt`, Buffer.from(`A's log ${w.tag}\n`))).id;
  }
  const row = await w.db.attachment.findUniqueOrThrow({ where: { id } });
  expect(row.state).toBe("READY");
  fileIds.set(w.tag, id);
}

const answerOf = (outcome: Outcome) => {
  expect(outcome.kind).toBe("ok");
  return (outcome as { kind: "ok"; data: RouteAnswer }).data;
};

/** The file itself: its exact stored bytes, the safe headers, and an audited download. */
async function verifyDownload(w: World, _o: ObjectKey, outcome: Outcome) {
  const { status, headers, body } = answerOf(outcome);
  const row = await w.db.attachment.findUniqueOrThrow({ where: { id: fileId(w) } });
  expect(status).toBe(200);
  expect([body.length, sha256(body)]).toEqual([row.size, row.sha256]);
  const text = row.contentType === "text/plain";
  expect(headers.get("content-type")).toBe(text ? "text/plain; charset=utf-8" : row.contentType);
  // Only re-encoded images are inline; text is always a download.
  expect(headers.get("content-disposition")).toMatch(text ? /^attachment;/ : /^inline;/);
  expect(headers.get("x-content-type-options")).toBe("nosniff");
  expect(headers.get("content-security-policy")).toMatch(/^sandbox;/);
  const events = await successEvent(w, "attachment.download");
  expect(events.map((e) => [e.actorId, e.entityType, e.entityId])).toEqual([
    [w.actor!.id, "Attachment", row.id],
  ]);
}

/** The WebP thumbnail, inline; viewing it is part of the conversation and not audited. */
async function verifyThumbnail(w: World, _o: ObjectKey, outcome: Outcome) {
  const { status, headers, body } = answerOf(outcome);
  expect(status).toBe(200);
  expect(headers.get("content-type")).toBe("image/webp");
  expect(headers.get("content-disposition")).toMatch(/^inline;/);
  expect([body.subarray(0, 4).toString("latin1"), body.subarray(8, 12).toString("latin1")]).toEqual(
    ["RIFF", "WEBP"],
  );
  expect(await w.db.auditEvent.count({ where: { requestId: w.requestId } })).toBe(0);
}

const uploadBytes = (w: World) => Buffer.from(`T3 upload ${w.tag}\nline two\n`);

export const NEW_PASSWORD = "t3-matrix-new-password-quartz";

export const REGISTRY: Entry[] = [
  // ---- tickets ----
  {
    kind: "action",
    module: TICKETS_MOD,
    export: "createTicketAction",
    audit: "ticket.create",
    permission: "ticket:create",
    objects: ["newTicketForA", "newTicketForB"],
    input: (w, o) => ({
      title: `T3 ${w.tag}`,
      description: "matrix",
      categoryId: w.category.id,
      requesterId: ownerOf(w, o).id,
    }),
    async verify(w, o) {
      const made = await w.db.ticket.findMany({ where: { title: `T3 ${w.tag}` } });
      expect(made.map((t) => t.requesterId)).toEqual([ownerOf(w, o).id]);
    },
  },
  {
    kind: "action",
    module: TICKETS_MOD,
    export: "editTicketAction",
    audit: "ticket.edit",
    permission: "ticket:edit",
    objects: TICKETS,
    input: (w, o) => ({ ...ref(w, o), title: `Edited ${w.tag}`, description: "edited" }),
    async verify(w, o) {
      expect((await ticketRow(w, o)).title).toBe(`Edited ${w.tag}`);
    },
  },
  {
    // The ticket page's one submit: every field and a public reply, one transaction.
    kind: "action",
    module: TICKETS_MOD,
    export: "triageTicketAction",
    audit: "ticket.triage",
    permission: "ticket:triage",
    objects: TICKETS,
    input: (w, o) => ({
      ...ref(w, o),
      priority: "URGENT",
      categoryId: w.otherCategory.id,
      assigneeId: w.staff.id,
      status: "IN_PROGRESS",
      body: `T3 triage ${w.tag}`,
    }),
    async verify(w, o) {
      const row = await ticketRow(w, o);
      expect([row.priority, row.categoryId, row.assigneeId, row.status]).toEqual([
        "URGENT",
        w.otherCategory.id,
        w.staff.id,
        "IN_PROGRESS",
      ]);
      const comments = await w.db.ticketComment.findMany({ where: { ticketId: row.id } });
      expect(comments.map((c) => [c.body, c.internal])).toContainEqual([
        `T3 triage ${w.tag}`,
        false,
      ]);
    },
  },
  {
    // An assignment with an internal note.
    kind: "action",
    module: TICKETS_MOD,
    export: "triageTicketAction",
    audit: "ticket.triage",
    permission: "ticket:triage",
    objects: TICKETS,
    input: (w, o) => ({
      ...ref(w, o),
      assigneeId: w.staff.id,
      body: `T3 note ${w.tag}`,
      visibility: "internal",
    }),
    async verify(w, o) {
      const row = await ticketRow(w, o);
      expect(row.assigneeId).toBe(w.staff.id);
      const comments = await w.db.ticketComment.findMany({ where: { ticketId: row.id } });
      expect(comments.map((c) => [c.body, c.internal])).toContainEqual([`T3 note ${w.tag}`, true]);
    },
  },
  {
    kind: "action",
    module: TICKETS_MOD,
    export: "closeTicketAction",
    audit: "ticket.close",
    permission: "ticket:close-reopen",
    objects: TICKETS,
    prepare: resolveTicket,
    input: (w, o) => ref(w, o),
    async verify(w, o) {
      expect((await ticketRow(w, o)).status).toBe("CLOSED");
    },
  },
  {
    kind: "action",
    module: TICKETS_MOD,
    export: "reopenTicketAction",
    audit: "ticket.reopen",
    permission: "ticket:close-reopen",
    objects: TICKETS,
    prepare: resolveTicket,
    input: (w, o) => ({ ...ref(w, o), body: `still wrong ${w.tag}` }),
    async verify(w, o) {
      expect((await ticketRow(w, o)).status).toBe("OPEN");
      // The reply that reopened it, in the same transaction.
      await expectOneComment(w, o, `still wrong ${w.tag}`, false);
    },
  },
  {
    kind: "action",
    module: TICKETS_MOD,
    export: "replyToTicketAction",
    audit: "ticket.reply",
    permission: "ticket:comment",
    objects: TICKETS,
    input: (w, o) => ({ ticketId: ticketOf(w, o).id, body: `reply ${w.tag}` }),
    async verify(w, o) {
      await expectOneComment(w, o, `reply ${w.tag}`, false);
    },
  },
  {
    kind: "action",
    module: TICKETS_MOD,
    export: "addInternalNoteAction",
    audit: "ticket.note",
    permission: "ticket:note",
    objects: TICKETS,
    input: (w, o) => ({ ticketId: ticketOf(w, o).id, body: `note ${w.tag}` }),
    async verify(w, o) {
      await expectOneComment(w, o, `note ${w.tag}`, true);
    },
  },
  {
    kind: "action",
    module: TICKETS_MOD,
    export: "deleteTicketAction",
    audit: "ticket.delete",
    permission: "ticket:delete",
    objects: TICKETS,
    input: (w, o) => ({ ticketId: ticketOf(w, o).id }),
    async verify(w, o) {
      expect((await ticketRow(w, o)).deletedAt).not.toBeNull();
    },
  },
  {
    kind: "action",
    module: TICKETS_MOD,
    export: "bulkAssignTicketsAction",
    audit: "ticket.bulk_assign",
    permission: "ticket:triage",
    objects: TICKETS,
    input: (w, o) => ({ ticketIds: [ticketOf(w, o).id], assigneeId: w.staff.id }),
    async verify(w, o) {
      expect((await ticketRow(w, o)).assigneeId).toBe(w.staff.id);
    },
  },
  {
    kind: "action",
    module: TICKETS_MOD,
    export: "bulkChangeTicketStatusAction",
    audit: "ticket.bulk_status",
    permission: "ticket:triage",
    objects: TICKETS,
    input: (w, o) => ({ ticketIds: [ticketOf(w, o).id], status: "CLOSED" }),
    async verify(w, o) {
      expect((await ticketRow(w, o)).status).toBe("CLOSED");
    },
  },
  // ---- reads (the ticket page's read path: currentUser -> getTicket). Pages do not audit a
  // hidden ticket (a 404 like an unknown number), so these refusals are checked, not audited.
  {
    kind: "read",
    module: "@/lib/tickets/queries",
    export: "getTicket",
    audit: null,
    permission: "ticket:read",
    objects: TICKETS,
    input: (w, o) => ({ id: ticketOf(w, o).id }),
    async verify(w, o, outcome) {
      expect(outcome).toMatchObject({ kind: "ok", data: { id: ticketOf(w, o).id } });
    },
  },
  {
    // Internal notes are staff-only: "ticket:note" is the permission that covers them.
    kind: "read",
    module: "@/lib/tickets/queries",
    export: "getTicket",
    audit: null,
    permission: "ticket:note",
    objects: ["internalNoteOnA"],
    input: (w) => ({ id: w.note.ticketId }),
    visible: (w, _o, data) =>
      (data as { comments: { id: string }[] }).comments.some((c) => c.id === w.note.id),
    async verify(w, _o, outcome) {
      expect(outcome).toMatchObject({ kind: "ok", data: { id: w.note.ticketId } });
    },
  },
  // ---- user administration ----
  {
    kind: "action",
    module: USERS_MOD,
    export: "createUserAction",
    audit: "user.create",
    permission: "user:manage",
    objects: ["newUser"],
    input: (w) => ({ email: `t3-new-${w.tag}@example.test`, name: "T3 New", role: "USER" }),
    async verify(w) {
      expect(await w.db.user.count({ where: { email: `t3-new-${w.tag}@example.test` } })).toBe(1);
    },
  },
  {
    kind: "action",
    module: USERS_MOD,
    export: "changeUserRoleAction",
    audit: "user.role_change",
    permission: "user:manage",
    objects: ["aUser"],
    input: (w) => ({ userId: w.target.id, role: "TECHNICIAN" }),
    async verify(w) {
      expect(await userRow(w, w.target.id)).toMatchObject({
        role: "TECHNICIAN",
        sessionVersion: w.target.sessionVersion + 1,
      });
    },
  },
  {
    kind: "action",
    module: USERS_MOD,
    export: "setUserActiveAction",
    audit: "user.set_active",
    permission: "user:manage",
    objects: ["aUser"],
    input: (w) => ({ userId: w.target.id, active: false }),
    async verify(w) {
      expect((await userRow(w, w.target.id)).active).toBe(false);
    },
  },
  {
    kind: "action",
    module: USERS_MOD,
    export: "signOutUserEverywhereAction",
    audit: "user.sign_out_everywhere",
    permission: "user:manage",
    objects: ["aUser"],
    input: (w) => ({ userId: w.target.id }),
    async verify(w) {
      expect((await userRow(w, w.target.id)).sessionVersion).toBe(w.target.sessionVersion + 1);
    },
  },
  {
    kind: "action",
    module: USERS_MOD,
    export: "resetUserPasswordAction",
    audit: "user.password_reset",
    permission: "user:manage",
    objects: ["aUser"],
    input: (w) => ({ userId: w.target.id }),
    async verify(w, _o, outcome) {
      const row = await w.db.user.findUniqueOrThrow({
        where: { id: w.target.id },
        omit: { passwordHash: false },
      });
      expect(row.mustChangePassword).toBe(true);
      expect(await verifyPassword(w.target.password, row.passwordHash)).toBe(false);
      expect(outcome.kind).toBe("ok");
    },
  },
  {
    kind: "action",
    module: USERS_MOD,
    export: "confirmPasswordAction",
    audit: "auth.reauth",
    permission: "user:manage",
    objects: ["ownAccount"],
    input: (w) => ({ password: w.actor?.password ?? "not-signed-in-password" }),
    async verify(w) {
      const token = w.jar.get("tessera-reauth");
      expect(token).toBeTruthy();
      expect(token).not.toBe(w.reauthToken);
      const row = await w.db.user.findUniqueOrThrow({ where: { id: w.actor!.id } });
      expect(row.reauthTokenHash).toBe(hashReauthToken(token!));
    },
  },
  {
    kind: "action",
    module: USERS_MOD,
    export: "resetUserMfaAction",
    audit: "user.mfa_reset",
    permission: "user:manage",
    objects: ["aUser"],
    prepare: (w) => setMfa(w, w.target.id, "on"),
    input: (w) => ({ userId: w.target.id }),
    async verify(w) {
      const row = await w.db.user.findUniqueOrThrow({
        where: { id: w.target.id },
        select: { mfaEnabledAt: true, mfaSecret: true, sessionVersion: true },
      });
      expect(row).toEqual({
        mfaEnabledAt: null,
        mfaSecret: null,
        sessionVersion: w.target.sessionVersion + 1,
      });
    },
  },
  // ---- own MFA (prepare puts the caller's account in the state the action starts from) ----
  {
    kind: "action",
    module: MFA_MOD,
    export: "startMfaEnrollmentAction",
    audit: "account.mfa_enrollment_start",
    permission: "account:manage",
    objects: ["ownAccount"],
    prepare: (w) => setMfa(w, w.actor?.id, "off"),
    input: () => ({}),
    async verify(w) {
      const row = await w.db.user.findUniqueOrThrow({
        where: { id: w.actor!.id },
        select: { mfaPendingSecret: true },
      });
      expect(row.mfaPendingSecret).not.toBeNull();
    },
  },
  {
    kind: "action",
    module: MFA_MOD,
    export: "confirmMfaEnrollmentAction",
    audit: "account.mfa_enable",
    permission: "account:manage",
    objects: ["ownAccount"],
    prepare: (w) => setMfa(w, w.actor?.id, "pending"),
    input: (w) => ({ code: cellCode(w), password: w.actor?.password ?? "no-password" }),
    async verify(w) {
      expect((await userRow(w, w.actor!.id)).mfaEnabledAt).not.toBeNull();
      expect(await w.db.mfaRecoveryCode.count({ where: { userId: w.actor!.id } })).toBe(10);
    },
  },
  {
    kind: "action",
    module: MFA_MOD,
    export: "regenerateRecoveryCodesAction",
    audit: "account.mfa_recovery_regenerate",
    permission: "account:manage",
    objects: ["ownAccount"],
    prepare: (w) => setMfa(w, w.actor?.id, "on"),
    input: (w) => ({ code: cellCode(w) }),
    async verify(w) {
      expect(await w.db.mfaRecoveryCode.count({ where: { userId: w.actor!.id } })).toBe(10);
    },
  },
  {
    kind: "action",
    module: MFA_MOD,
    export: "disableMfaAction",
    audit: "account.mfa_disable",
    permission: "account:manage",
    objects: ["ownAccount"],
    refusedFor: (role) => mfaRequiredFor(role, "required"),
    prepare: (w) => setMfa(w, w.actor?.id, "on"),
    input: (w) => ({ code: cellCode(w) }),
    async verify(w) {
      expect((await userRow(w, w.actor!.id)).mfaEnabledAt).toBeNull();
    },
  },
  // ---- own account and session ----
  {
    kind: "action",
    module: AUTH_MOD,
    export: "signInAction",
    audit: null,
    permission: null,
    objects: ["signInForm"],
    redirects: true,
    input: (w) => ({ email: w.target.email, password: w.target.password, callbackUrl: "/tickets" }),
    async verify(w) {
      const [event] = await successEvent(w, "auth.sign_in");
      expect(event!.actorId).toBe(w.target.id);
    },
  },
  {
    // The second step of an MFA sign-in (staff): the token from the password step and a code.
    kind: "action",
    module: AUTH_MOD,
    export: "mfaSignInAction",
    audit: null,
    permission: null,
    objects: ["signInForm"],
    redirects: true,
    async prepare(w) {
      const { signInAction } = await import("@/lib/auth/actions");
      const first = await w.asOther!(() =>
        signInAction({ email: w.staff.email, password: w.staff.password }),
      );
      expect(first).toMatchObject({ ok: false, mfaToken: expect.any(String) });
      w.mfaToken = (first as { mfaToken: string }).mfaToken;
    },
    input: (w) => ({ mfaToken: w.mfaToken, code: factoryTotp(w.staff), callbackUrl: "/tickets" }),
    async verify(w) {
      const [event] = await successEvent(w, "auth.sign_in");
      expect(event!.actorId).toBe(w.staff.id);
    },
  },
  {
    // The login page's single sign-on button: public; Auth.js sends the browser to the identity
    // provider, or back to /login when SSO is not configured (as in these tests).
    kind: "action",
    module: AUTH_MOD,
    export: "ssoSignInAction",
    audit: null,
    permission: null,
    objects: ["signInForm"],
    redirects: true,
    input: () => {
      const form = new FormData();
      form.set("callbackUrl", "/tickets");
      return form;
    },
    async verify(_w, _o, outcome) {
      const issuer = process.env.TESSERA_SSO_ISSUER;
      expect(outcome.kind).toBe("redirect");
      const location = (outcome as { location: string }).location;
      if (issuer) expect(location.startsWith(new URL(issuer).origin)).toBe(true);
      else expect(location).toBe("/login");
    },
  },
  {
    kind: "action",
    module: AUTH_MOD,
    export: "captchaChallengeAction",
    audit: null,
    permission: null,
    objects: ["signInForm"],
    input: () => undefined,
    async verify(_w, _o, outcome) {
      expect(outcome).toMatchObject({ kind: "ok", data: { signature: expect.any(String) } });
    },
  },
  {
    // Signing out needs no permission; it ends the caller's session if there is a valid one.
    kind: "action",
    module: AUTH_MOD,
    export: "signOutAction",
    audit: null,
    permission: null,
    objects: ["ownAccount"],
    redirects: true,
    input: () => undefined,
    async verify(w) {
      if (!w.actor) return;
      const row = await userRow(w, w.actor.id);
      expect(row.sessionVersion).toBe(w.actor.sessionVersion + (w.actorRole ? 1 : 0));
    },
  },
  {
    kind: "action",
    module: AUTH_MOD,
    export: "signOutEverywhereAction",
    audit: "auth.sign_out_everywhere",
    permission: "account:manage",
    objects: ["ownAccount"],
    redirects: true,
    input: () => ({}),
    async verify(w) {
      expect((await userRow(w, w.actor!.id)).sessionVersion).toBe(w.actor!.sessionVersion + 1);
    },
  },
  {
    kind: "action",
    module: USERS_MOD,
    export: "changePasswordAction",
    audit: "account.password_change",
    permission: "account:manage",
    objects: ["ownAccount"],
    redirects: true,
    input: (w) => ({
      currentPassword: w.actor?.password ?? "not-signed-in-password",
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    }),
    async verify(w) {
      const row = await w.db.user.findUniqueOrThrow({
        where: { id: w.actor!.id },
        omit: { passwordHash: false },
      });
      expect(await verifyPassword(NEW_PASSWORD, row.passwordHash)).toBe(true);
      expect(row.sessionVersion).toBe(w.actor!.sessionVersion + 1);
    },
  },
  // ---- audit ----
  {
    kind: "action",
    module: AUDIT_MOD,
    export: "verifyAuditIntegrityAction",
    audit: "audit.verify",
    permission: "audit:read",
    objects: ["auditLog"],
    input: () => ({}),
    async verify(w, _o, outcome) {
      expect(outcome).toMatchObject({ kind: "ok", data: { ok: true } });
      expect((await successEvent(w, "audit.verify"))[0]!.actorId).toBe(w.actor!.id);
    },
  },
  {
    kind: "route",
    module: "@/app/(app)/admin/audit/export/route",
    // A same-origin form POST (the query string becomes the body); GET/HEAD answer 405.
    export: "POST",
    audit: "audit.export",
    permission: "audit:export",
    objects: ["auditLog"],
    input: () => "http://localhost:3000/admin/audit/export?action=t3.none",
    async verify(w, _o, outcome) {
      expect(outcome.kind).toBe("ok");
      expect((outcome as { data: RouteAnswer }).data.body.toString("utf8")).toContain("action");
      expect((await successEvent(w, "audit.export"))[0]!.actorId).toBe(w.actor!.id);
    },
  },
  // ---- attachments (ADR 021): the routes authorize like actions (refusals audited by
  // authorizeRequest), then re-check the viewer's access to the file's ticket and message; a
  // hidden file answers 404 like an unknown id and is audited (aggregated per user, like hidden
  // tickets: lib/attachments/download.ts), with the reason "not_visible".
  {
    kind: "route",
    module: ATTACHMENT_ROUTE,
    export: "GET",
    audit: "attachment.download",
    permission: "ticket:read",
    objects: ["fileOnTicketOfA", "fileOnNoteOnA", "uploadOfA"],
    prepare: makeFile,
    input: (w) => `${ORIGIN}/api/attachments/${fileId(w)}`,
    params: (w) => ({ id: fileId(w) }),
    verify: verifyDownload,
  },
  {
    kind: "route",
    module: "@/app/api/attachments/[id]/thumbnail/route",
    export: "GET",
    // A refused thumbnail is audited as a refused download of the file.
    audit: "attachment.download",
    permission: "ticket:read",
    objects: ["fileOnTicketOfA", "fileOnNoteOnA"],
    prepare: makeFile,
    input: (w) => `${ORIGIN}/api/attachments/${fileId(w)}/thumbnail`,
    params: (w) => ({ id: fileId(w) }),
    verify: verifyThumbnail,
  },
  {
    // One file per request, same origin only; the answer is the new upload's id.
    kind: "route",
    module: "@/app/api/attachments/route",
    export: "POST",
    audit: "attachment.upload",
    permission: "ticket:comment",
    objects: ["newUpload"],
    input: () => `${ORIGIN}/api/attachments`,
    rawBody: (w) => ({
      body: uploadBytes(w),
      headers: {
        "x-tessera-filename": encodeURIComponent(`t3 ${w.tag}.txt`),
        "content-type": "application/octet-stream",
        "content-length": String(uploadBytes(w).length),
      },
    }),
    async verify(w, _o, outcome) {
      const { status, body } = answerOf(outcome);
      expect(status).toBe(201);
      const info = JSON.parse(body.toString("utf8")) as { id: string };
      const rows = await w.db.attachment.findMany({ where: { name: `t3 ${w.tag}.txt` } });
      expect(rows.map((r) => [r.id, r.uploaderId, r.ticketId, r.state, r.sha256])).toEqual([
        [info.id, w.actor!.id, null, "READY", sha256(uploadBytes(w))],
      ]);
    },
  },
  // ---- security (anomalies) ----
  {
    kind: "action",
    module: SECURITY_MOD,
    export: "acknowledgeAnomalyAction",
    audit: "security.anomaly_ack",
    permission: "security:anomalies",
    objects: ["anAnomaly"],
    prepare: (w) => makeAnomaly(w),
    input: (w) => ({ anomalyId: anomalyIds.get(w.tag) ?? "0" }),
    async verify(w) {
      const id = BigInt(anomalyIds.get(w.tag)!);
      const row = await w.db.securityAnomaly.findUniqueOrThrow({ where: { id } });
      expect(row.acknowledgedById).toBe(w.actor!.id);
      expect((await successEvent(w, "security.anomaly_ack"))[0]!.entityId).toBe(id.toString());
    },
  },
  {
    // The Security page's read path (app/(app)/admin/security/page.tsx).
    kind: "read",
    module: "@/lib/security/queries",
    export: "listAnomalies",
    audit: null,
    permission: "security:anomalies",
    objects: ["anAnomaly"],
    prepare: (w) => makeAnomaly(w),
    input: () => ({ show: "all" }),
    visible: (w, _o, data) =>
      (data as { id: string }[]).some((a) => a.id === anomalyIds.get(w.tag)),
    async verify(w, _o, outcome) {
      expect(outcome).toMatchObject({ kind: "ok" });
    },
  },
  // ---- email (issue 14) ----
  {
    // "Forgot password": public; the same answer for every address, the mail sent after it.
    kind: "action",
    module: RESET_MOD,
    export: "forgotPasswordAction",
    audit: null,
    permission: null,
    objects: ["signInForm"],
    input: (w) => ({ email: w.target.email }),
    async verify(w, _o, outcome) {
      expect(outcome).toMatchObject({ kind: "ok", data: expect.stringContaining("If an account") });
      await settleAfter();
      const mails = await w.db.emailMessage.count({
        where: { toUserId: w.target.id, kind: "password_reset" },
      });
      expect(mails).toBe(1);
    },
  },
  {
    kind: "action",
    module: RESET_MOD,
    export: "resetPasswordAction",
    audit: null,
    permission: null,
    objects: ["signInForm"],
    prepare: (w) => makeResetToken(w),
    input: (w) => ({
      token: resetTokens.get(w.tag),
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    }),
    async verify(w) {
      const row = await w.db.user.findUniqueOrThrow({
        where: { id: w.target.id },
        omit: { passwordHash: false },
      });
      expect(await verifyPassword(NEW_PASSWORD, row.passwordHash)).toBe(true);
    },
  },
  {
    kind: "action",
    module: EMAIL_MOD,
    export: "updateNotificationSettingsAction",
    audit: "account.notifications",
    permission: "account:manage",
    objects: ["ownAccount"],
    input: () => ({ on: ["reply"], follow: [] }),
    async verify(w) {
      const row = await userRow(w, w.actor!.id);
      expect(row.emailOff).toEqual(kindsFor(w.actorRole!).filter((k) => k !== "reply"));
    },
  },
  {
    // The admin Email page's read path (app/(app)/admin/email/page.tsx).
    kind: "read",
    module: "@/lib/email/queries",
    export: "listEmails",
    audit: null,
    permission: "email:read",
    objects: ["anEmail"],
    prepare: (w) => makeEmail(w),
    input: (w) => ({ to: emailAddresses.get(w.tag) }),
    visible: (w, _o, data) =>
      (data as { items: { toAddress: string }[] }).items.some(
        (m) => m.toAddress === emailAddresses.get(w.tag),
      ),
    async verify(w, _o, outcome) {
      expect(outcome).toMatchObject({ kind: "ok" });
    },
  },
  {
    // The Email page's "Received" view (app/(app)/admin/email/page.tsx?view=received).
    kind: "read",
    module: "@/lib/email/queries",
    export: "listInbound",
    audit: null,
    permission: "email:read",
    objects: ["anEmail"],
    async prepare(w) {
      await w.db.inboundEmail.create({
        data: {
          mailbox: "t3@example.test/INBOX",
          dedupeKey: `t3-${w.tag}`,
          fromAddress: `t3-${w.tag}@example.test`.toLowerCase(),
          subject: `T3 ${w.tag}`,
          outcome: "refused",
          originalText: "text",
        },
      });
    },
    input: () => ({}),
    visible: (w, _o, data) =>
      (data as { items: { subject: string }[] }).items.some((m) => m.subject === `T3 ${w.tag}`),
    async verify(w, _o, outcome) {
      expect(outcome).toMatchObject({ kind: "ok" });
    },
  },
  {
    // A received message's page (app/(app)/admin/email/received/[id]/page.tsx).
    kind: "read",
    module: "@/lib/email/queries",
    export: "getInbound",
    audit: null,
    permission: "email:read",
    objects: ["anEmail"],
    async prepare(w) {
      const row = await w.db.inboundEmail.create({
        data: {
          mailbox: "t3@example.test/INBOX",
          dedupeKey: `t3-one-${w.tag}`,
          fromAddress: "t3@example.test",
          subject: `T3 one ${w.tag}`,
          outcome: "refused",
          originalText: "text",
        },
      });
      inboundIds.set(w.tag, row.id.toString());
    },
    input: (w) => inboundIds.get(w.tag),
    visible: (w, _o, data) => (data as { subject: string } | null)?.subject === `T3 one ${w.tag}`,
    async verify(w, _o, outcome) {
      expect(outcome).toMatchObject({ kind: "ok" });
    },
  },
  {
    // The ticket page's staff-only "Email that added nothing" (bounces, automatic replies).
    kind: "read",
    module: "@/lib/email/queries",
    export: "ticketMailNotices",
    audit: null,
    permission: "ticket:note",
    objects: ["anEmail"],
    async prepare(w) {
      await w.db.inboundEmail.create({
        data: {
          mailbox: "t3@example.test/INBOX",
          dedupeKey: `t3-notice-${w.tag}`,
          fromAddress: "mailer-daemon@example.test",
          subject: "Undelivered",
          outcome: "bounce",
          detail: `T3 ${w.tag}`,
          ticketId: w.ticketA.id,
          originalText: "text",
        },
      });
    },
    input: (w) => w.ticketA.id,
    visible: (w, _o, data) =>
      (data as { detail: string }[]).some((n) => n.detail === `T3 ${w.tag}`),
    async verify(w, _o, outcome) {
      expect(outcome).toMatchObject({ kind: "ok" });
    },
  },
  // ---- saved views (owner only, for every role) ----
  {
    kind: "action",
    module: VIEWS_MOD,
    export: "createSavedViewAction",
    audit: "saved_view.create",
    permission: "account:manage",
    objects: ["newSavedView"],
    input: (w) => ({ name: `T3 ${w.tag}`, query: "queue=open&sort=updated" }),
    async verify(w) {
      const row = await w.db.savedView.findFirstOrThrow({ where: { name: `T3 ${w.tag}` } });
      expect(row).toMatchObject({ userId: w.actor!.id, query: "queue=open&sort=updated" });
    },
  },
  {
    kind: "action",
    module: VIEWS_MOD,
    export: "renameSavedViewAction",
    audit: "saved_view.rename",
    permission: "account:manage",
    objects: ["savedViewOfA"],
    prepare: (w) => makeViewOfA(w),
    input: (w) => ({ viewId: viewIds.get(w.tag) ?? "none", name: `Renamed ${w.tag}` }),
    async verify(w) {
      const row = await w.db.savedView.findUniqueOrThrow({ where: { id: viewIds.get(w.tag) } });
      expect(row.name).toBe(`Renamed ${w.tag}`);
    },
  },
  {
    kind: "action",
    module: VIEWS_MOD,
    export: "deleteSavedViewAction",
    audit: "saved_view.delete",
    permission: "account:manage",
    objects: ["savedViewOfA"],
    prepare: (w) => makeViewOfA(w),
    input: (w) => ({ viewId: viewIds.get(w.tag) ?? "none" }),
    async verify(w) {
      expect(await w.db.savedView.count({ where: { id: viewIds.get(w.tag) } })).toBe(0);
    },
  },
  // ---- categories ----
  {
    kind: "action",
    module: CATEGORIES_MOD,
    export: "createCategoryAction",
    audit: "category.create",
    permission: "category:manage",
    objects: ["newCategory"],
    input: (w) => ({ name: `T3 ${w.tag}`, defaultAssigneeId: "" }),
    async verify(w) {
      expect(await w.db.category.count({ where: { name: `T3 ${w.tag}` } })).toBe(1);
    },
  },
  {
    kind: "action",
    module: CATEGORIES_MOD,
    export: "renameCategoryAction",
    audit: "category.rename",
    permission: "category:manage",
    objects: ["aCategory"],
    input: (w) => ({ categoryId: w.category.id, name: `Renamed ${w.tag}` }),
    async verify(w) {
      const row = await w.db.category.findUniqueOrThrow({ where: { id: w.category.id } });
      expect(row.name).toBe(`Renamed ${w.tag}`);
    },
  },
  {
    kind: "action",
    module: CATEGORIES_MOD,
    export: "moveCategoryAction",
    audit: "category.reorder",
    permission: "category:manage",
    objects: ["aCategory"],
    input: (w) => ({ categoryId: w.category.id, direction: "up" }),
    async verify(w) {
      await successEvent(w, "category.reorder");
      const row = await w.db.category.findUniqueOrThrow({ where: { id: w.category.id } });
      expect(row.position).not.toBe(w.category.position);
    },
  },
  {
    kind: "action",
    module: CATEGORIES_MOD,
    export: "setCategoryArchivedAction",
    audit: "category.archive",
    permission: "category:manage",
    objects: ["aCategory"],
    input: (w) => ({ categoryId: w.category.id, archived: true }),
    async verify(w) {
      const row = await w.db.category.findUniqueOrThrow({ where: { id: w.category.id } });
      expect(row.archived).toBe(true);
    },
  },
  {
    kind: "action",
    module: CATEGORIES_MOD,
    export: "setCategoryDefaultAssigneeAction",
    audit: "category.default_assignee",
    permission: "category:manage",
    objects: ["aCategory"],
    input: (w) => ({ categoryId: w.category.id, defaultAssigneeId: w.staff.id }),
    async verify(w) {
      const row = await w.db.category.findUniqueOrThrow({ where: { id: w.category.id } });
      expect(row.defaultAssigneeId).toBe(w.staff.id);
    },
  },
  // ---- "How did we do?" (issue 15 §4) ----
  {
    kind: "action",
    module: CSAT_MOD,
    export: "answerCsatAction",
    audit: "csat.answer",
    permission: "csat:answer",
    objects: ["surveyOfA"],
    prepare: makeSurvey,
    input: (w) => ({
      ticketId: w.ticketA.id,
      surveyId: surveyOf(w).id,
      rating: "GOOD",
      comment: "Thanks",
    }),
    verify: (w) => expectAnswered(w, "GOOD", "ticket"),
  },
  {
    kind: "action",
    module: CSAT_MOD,
    export: "answerCsatLinkAction",
    audit: null,
    permission: null,
    objects: ["surveyLinkOfB"],
    prepare: makeSurvey,
    input: (w) => ({ token: surveyOf(w).token, rating: "BAD" }),
    verify: (w) => expectAnswered(w, "BAD", "link"),
  },
  {
    // The staff view of a ticket's answers (the ticket page's sidebar).
    kind: "read",
    module: "@/lib/csat/queries",
    export: "ticketSurveyResults",
    audit: null,
    permission: "csat:read",
    objects: ["surveyOfA"],
    prepare: makeSurvey,
    input: (w) => w.ticketA.id,
    visible: (w, _o, data) => (data as { id: string }[]).some((r) => r.id === surveyOf(w).id),
    async verify(w, _o, outcome) {
      expect(outcome).toMatchObject({ kind: "ok" });
    },
  },
  // ---- time tracking (issue 15 §5): staff only; own entries, admins any ----
  {
    kind: "action",
    module: TIME_MOD,
    export: "logTimeAction",
    audit: "time.log",
    permission: "time:log",
    objects: TICKETS,
    input: (w, o) => ({ ticketId: ticketOf(w, o).id, duration: "1h 5m", note: `T3 ${w.tag}` }),
    async verify(w, o) {
      const row = await w.db.timeEntry.findFirstOrThrow({ where: { note: `T3 ${w.tag}` } });
      expect(row).toMatchObject({ ticketId: ticketOf(w, o).id, userId: w.actor!.id, minutes: 65 });
      await successEvent(w, "time.logged");
    },
  },
  {
    kind: "action",
    module: TIME_MOD,
    export: "updateTimeEntryAction",
    audit: "time.update",
    permission: "time:edit",
    objects: ["timeOfStaff", "ownTime"],
    prepare: makeTimeEntry,
    input: (w) => ({
      entryId: timeEntryId(w),
      duration: "45",
      workDate: "2026-01-04",
      note: `T3 ${w.tag}`,
      billable: true,
    }),
    async verify(w) {
      const row = await w.db.timeEntry.findUniqueOrThrow({ where: { id: timeEntryId(w) } });
      expect(row).toMatchObject({ minutes: 45, billable: true, note: `T3 ${w.tag}` });
      await successEvent(w, "time.updated");
    },
  },
  {
    kind: "action",
    module: TIME_MOD,
    export: "deleteTimeEntryAction",
    audit: "time.delete",
    permission: "time:edit",
    objects: ["timeOfStaff", "ownTime"],
    prepare: makeTimeEntry,
    input: (w) => ({ entryId: timeEntryId(w) }),
    async verify(w) {
      expect(await w.db.timeEntry.count({ where: { id: timeEntryId(w) } })).toBe(0);
      await successEvent(w, "time.deleted");
    },
  },
  {
    // The ticket sidebar's time list: requesters never see it.
    kind: "read",
    module: "@/lib/time/queries",
    export: "ticketTimeEntries",
    audit: null,
    permission: "time:log",
    objects: ["timeOfStaff"],
    prepare: makeTimeEntry,
    input: (w) => w.ticketA.id,
    visible: (w, _o, data) =>
      (data as { entries: { id: string }[] }).entries.some((e) => e.id === timeEntryId(w)),
    async verify(w, _o, outcome) {
      expect(outcome).toMatchObject({ kind: "ok" });
    },
  },
  // ---- instance settings (ADR 022) ----
  {
    kind: "action",
    module: SETTINGS_MOD,
    export: "updateAttachmentSettingsAction",
    audit: "settings.updated",
    permission: "settings:manage",
    objects: ["instanceSettings"],
    // Every kind (the default): an allowed cell changes nothing the other cells' uploads rely on.
    input: () => ({ kinds: ["archives", "office", "text", "pdf", "images"] }),
    async verify(w, _o, outcome) {
      expect(outcome.kind).toBe("ok");
      const row = await w.db.setting.findUniqueOrThrow({ where: { key: "attachments" } });
      expect(row.value).toEqual({ kinds: ["images", "pdf", "text", "office", "archives"] });
    },
  },
  {
    // The help desk mailbox (issue 14 §3); saved switched off, so no cell reads a real mailbox.
    kind: "action",
    module: EMAIL_MOD,
    export: "updateInboundMailboxAction",
    audit: "settings.updated",
    permission: "settings:manage",
    objects: ["instanceSettings"],
    input: () => ({
      enabled: false,
      host: "imap.t3.test",
      port: 993,
      secure: true,
      user: "helpdesk@t3.test",
      auth: "password",
      secret: "t3-imap-secret",
      folder: "INBOX",
      processed: "seen",
      processedFolder: "Processed",
      unknownSenders: "refuse",
      categoryId: "",
      everyMinutes: 5,
    }),
    async verify(w, _o, outcome) {
      expect(outcome.kind).toBe("ok");
      const row = await w.db.setting.findUniqueOrThrow({ where: { key: "email.inbound" } });
      const value = row.value as { host: string; secretEncrypted: string };
      expect(value.host).toBe("imap.t3.test");
      // Encrypted at rest: the secret itself is nowhere in the row.
      expect(JSON.stringify(row.value)).not.toContain("t3-imap-secret");
      expect(value.secretEncrypted).toMatch(/^v1:/);
    },
  },
  {
    kind: "action",
    module: EMAIL_MOD,
    export: "checkMailboxNowAction",
    audit: "email.inbound_check",
    permission: "settings:manage",
    objects: ["instanceSettings"],
    input: () => ({}),
    async verify(_w, _o, outcome) {
      expect(outcome).toMatchObject({ kind: "ok", data: expect.stringContaining("mailbox") });
    },
  },
  // ---- reports (issue 15 §6): the page's read path and the CSV export. The input forges a
  // technician filter (another technician): scope "own" must get the caller's own id instead.
  {
    kind: "read",
    module: "@/lib/reports/queries",
    export: "getReports",
    audit: null,
    permission: "reports:read",
    objects: ["ownWork"],
    input: (w) => ({
      filters: { from: "2026-01-01", to: "2026-01-31", group: "day", technicianId: w.staff.id },
      timeZone: "UTC",
      now: Date.now(),
    }),
    async verify(w, _o, outcome) {
      expect(outcome.kind).toBe("ok");
      const applied = (outcome as { data: { filters: { technicianId?: string } } }).data.filters;
      expect(applied.technicianId).toBe(w.actorRole === "ADMIN" ? w.staff.id : w.actor!.id);
    },
  },
  {
    kind: "route",
    module: "@/app/(app)/reports/export/[report]/route",
    // A same-origin form POST (the query string becomes the body); GET/HEAD answer 405.
    export: "POST",
    audit: "report.export",
    permission: "reports:read",
    objects: ["ownWork"],
    input: (w) =>
      `http://localhost:3000/reports/export/sla?from=2026-01-01&to=2026-01-31&technician=${w.staff.id}`,
    params: () => ({ report: "sla" }),
    async verify(w, _o, outcome) {
      expect(outcome.kind).toBe("ok");
      expect((outcome as { data: RouteAnswer }).data.body.toString("utf8")).toContain(
        "First response met",
      );
      const [event] = await successEvent(w, "report.export");
      expect(event!.actorId).toBe(w.actor!.id);
      const filters = (event!.metadata as { filters: { technicianId?: string } }).filters;
      expect(filters.technicianId).toBe(w.actorRole === "ADMIN" ? w.staff.id : w.actor!.id);
    },
  },
  // ---- service levels (issue 15, ADR 024) ----
  {
    kind: "action",
    module: SLA_MOD,
    export: "createCalendarAction",
    audit: "sla.calendar.created",
    permission: "sla:manage",
    objects: ["newCalendar"],
    input: (w) => ({
      name: `T3 new calendar ${w.tag}`,
      timeZone: "Europe/Berlin",
      alwaysOpen: false,
      hours: ["09:00-12:00, 13:00-17:30", "", "", "", "", "", ""],
    }),
    async verify(w) {
      await successEvent(w, "sla.calendar.created");
      const row = await w.db.businessCalendar.findUniqueOrThrow({
        where: { name: `T3 new calendar ${w.tag}` },
      });
      expect(row.windows).toEqual([
        { day: 1, start: 540, end: 720 },
        { day: 1, start: 780, end: 1050 },
      ]);
    },
  },
  {
    kind: "action",
    module: SLA_MOD,
    export: "updateCalendarAction",
    audit: "sla.calendar.updated",
    permission: "sla:manage",
    objects: ["aCalendar"],
    prepare: (w) => makeSlaObjects(w),
    input: (w) => ({
      calendarId: sla(w).calendarId,
      name: `T3 renamed calendar ${w.tag}`,
      timeZone: "Asia/Kolkata",
      alwaysOpen: false,
      hours: ["09:00-17:00", "", "", "", "", "", ""],
    }),
    async verify(w) {
      await successEvent(w, "sla.calendar.updated");
      const row = await w.db.businessCalendar.findUniqueOrThrow({
        where: { id: sla(w).calendarId },
      });
      expect([row.name, row.timeZone]).toEqual([`T3 renamed calendar ${w.tag}`, "Asia/Kolkata"]);
    },
  },
  {
    kind: "action",
    module: SLA_MOD,
    export: "deleteCalendarAction",
    audit: "sla.calendar.deleted",
    permission: "sla:manage",
    objects: ["aCalendar"],
    prepare: (w) => makeSlaObjects(w),
    input: (w) => ({ calendarId: sla(w).calendarId }),
    async verify(w) {
      await successEvent(w, "sla.calendar.deleted");
      expect(await w.db.businessCalendar.count({ where: { id: sla(w).calendarId } })).toBe(0);
    },
  },
  {
    kind: "action",
    module: SLA_MOD,
    export: "addHolidayAction",
    audit: "sla.calendar.updated",
    permission: "sla:manage",
    objects: ["aCalendar"],
    prepare: (w) => makeSlaObjects(w),
    input: (w) => ({ calendarId: sla(w).calendarId, date: "2026-12-24", name: "Eve" }),
    async verify(w) {
      await successEvent(w, "sla.calendar.updated");
      expect(await w.db.calendarHoliday.count({ where: { calendarId: sla(w).calendarId } })).toBe(
        2,
      );
    },
  },
  {
    kind: "action",
    module: SLA_MOD,
    export: "removeHolidayAction",
    audit: "sla.calendar.updated",
    permission: "sla:manage",
    objects: ["aCalendar"],
    prepare: (w) => makeSlaObjects(w),
    input: (w) => ({ calendarId: sla(w).calendarId, holidayId: sla(w).holidayId }),
    async verify(w) {
      await successEvent(w, "sla.calendar.updated");
      expect(await w.db.calendarHoliday.count({ where: { id: sla(w).holidayId } })).toBe(0);
    },
  },
  {
    kind: "action",
    module: SLA_MOD,
    export: "importIcalHolidaysAction",
    audit: "sla.holidays.imported",
    permission: "sla:manage",
    objects: ["aCalendar"],
    prepare: (w) => makeSlaObjects(w),
    input: (w) => ({ calendarId: sla(w).calendarId, text: T3_ICS, fromYear: 2026, toYear: 2026 }),
    async verify(w) {
      await successEvent(w, "sla.holidays.imported");
      const names = await w.db.calendarHoliday.findMany({
        where: { calendarId: sla(w).calendarId },
        select: { name: true },
      });
      expect(names.map((h) => h.name).sort()).toEqual(["Christmas", "New Year's Eve"]);
    },
  },
  {
    kind: "action",
    module: SLA_MOD,
    export: "importCountryHolidaysAction",
    audit: "sla.holidays.imported",
    permission: "sla:manage",
    objects: ["aCalendar"],
    prepare: (w) => makeSlaObjects(w),
    input: (w) => ({ calendarId: sla(w).calendarId, country: "DE", region: "", year: 2026 }),
    async verify(w) {
      await successEvent(w, "sla.holidays.imported");
      expect(
        await w.db.calendarHoliday.count({ where: { calendarId: sla(w).calendarId } }),
      ).toBeGreaterThan(5);
    },
  },
  {
    kind: "action",
    module: SLA_MOD,
    export: "createPolicyAction",
    audit: "sla.policy.created",
    permission: "sla:manage",
    objects: ["newPolicy"],
    input: (w) => ({ ...SLA_POLICY_INPUT, name: `T3 new policy ${w.tag}` }),
    async verify(w) {
      await successEvent(w, "sla.policy.created");
      const row = await w.db.slaPolicy.findUniqueOrThrow({
        where: { name: `T3 new policy ${w.tag}` },
      });
      expect([row.priorities, row.firstResponseMinutes]).toEqual([["URGENT"], 60]);
    },
  },
  {
    kind: "action",
    module: SLA_MOD,
    export: "updatePolicyAction",
    audit: "sla.policy.updated",
    permission: "sla:manage",
    objects: ["aPolicy"],
    prepare: (w) => makeSlaObjects(w),
    input: (w) => ({
      ...SLA_POLICY_INPUT,
      policyId: sla(w).policyId,
      name: `T3 edited policy ${w.tag}`,
    }),
    async verify(w) {
      await successEvent(w, "sla.policy.updated");
      const row = await w.db.slaPolicy.findUniqueOrThrow({ where: { id: sla(w).policyId } });
      expect([row.name, row.resolutionMinutes]).toEqual([`T3 edited policy ${w.tag}`, 480]);
    },
  },
  {
    kind: "action",
    module: SLA_MOD,
    export: "movePolicyAction",
    audit: "sla.policy.updated",
    permission: "sla:manage",
    objects: ["aPolicy"],
    prepare: (w) => makeSlaObjects(w),
    input: (w) => ({ policyId: sla(w).policyId, direction: "up" }),
    async verify(w) {
      await successEvent(w, "sla.policy.updated");
      const [moved, first] = await Promise.all([
        w.db.slaPolicy.findUniqueOrThrow({ where: { id: sla(w).policyId } }),
        w.db.slaPolicy.findUniqueOrThrow({ where: { name: `T3 first ${w.tag}` } }),
      ]);
      expect(moved.position).toBeLessThan(first.position);
    },
  },
  {
    kind: "action",
    module: SLA_MOD,
    export: "deletePolicyAction",
    audit: "sla.policy.deleted",
    permission: "sla:manage",
    objects: ["aPolicy"],
    prepare: (w) => makeSlaObjects(w),
    input: (w) => ({ policyId: sla(w).policyId }),
    async verify(w) {
      await successEvent(w, "sla.policy.deleted");
      expect(await w.db.slaPolicy.count({ where: { id: sla(w).policyId } })).toBe(0);
    },
  },
  // ---- canned responses (issue 15 §3): personal ones by their owner only, shared ones by
  // "canned:manage"; one action each, registered once per permission it is checked against.
  {
    kind: "action",
    module: CANNED_MOD,
    export: "createCannedResponseAction",
    audit: "canned.created",
    permission: "canned:use",
    objects: ["newCanned"],
    input: (w) => ({ title: `T3 new ${w.tag}`, body: "T3 text" }),
    async verify(w) {
      const row = await w.db.cannedResponse.findFirstOrThrow({
        where: { title: `T3 new ${w.tag}` },
      });
      expect(row.ownerId).toBe(w.actor!.id);
      await successEvent(w, "canned.created");
    },
  },
  {
    kind: "action",
    module: CANNED_MOD,
    export: "createSharedCannedResponseAction",
    audit: "canned.created",
    permission: "canned:manage",
    objects: ["newSharedCanned"],
    input: (w) => ({ title: `T3 new shared ${w.tag}`, body: "T3 text" }),
    async verify(w) {
      const row = await w.db.cannedResponse.findFirstOrThrow({
        where: { title: `T3 new shared ${w.tag}` },
      });
      expect(row.ownerId).toBeNull();
    },
  },
  ...(
    [
      ["", "canned:use", ["ownCanned", "cannedOfStaff"]],
      ["Shared", "canned:manage", ["sharedCanned"]],
    ] as const
  ).flatMap(([kind, permission, objects]): Entry[] => [
    {
      kind: "action",
      module: CANNED_MOD,
      export: `update${kind}CannedResponseAction`,
      audit: "canned.updated",
      permission,
      objects: [...objects],
      prepare: (w, o) => makeCanned(w, o === "sharedCanned"),
      input: (w, o) => ({ cannedId: cannedId(w, o), title: `T3 renamed ${w.tag}`, body: "T3 new" }),
      async verify(w, o) {
        expect(await cannedRow(w, o)).toMatchObject({
          title: `T3 renamed ${w.tag}`,
          body: "T3 new",
        });
        await successEvent(w, "canned.updated");
      },
    },
    {
      kind: "action",
      module: CANNED_MOD,
      export: `delete${kind}CannedResponseAction`,
      audit: "canned.deleted",
      permission,
      objects: [...objects],
      prepare: (w, o) => makeCanned(w, o === "sharedCanned"),
      input: (w, o) => ({ cannedId: cannedId(w, o) }),
      async verify(w, o) {
        expect(await cannedRow(w, o)).toBeNull();
        await successEvent(w, "canned.deleted");
      },
    },
  ]),
  {
    // The reply box's picker: shared ones and the caller's own, never another person's.
    kind: "action",
    module: CANNED_MOD,
    export: "listCannedResponsesAction",
    audit: "canned.list",
    permission: "canned:use",
    objects: ["ownCanned"],
    prepare: (w) => makeCanned(w, true),
    input: (w) => ({ q: w.tag }),
    async verify(w, _o, outcome) {
      const ids = (outcome as { data: { id: string }[] }).data.map((c) => c.id);
      const made = cannedIds.get(w.tag)!;
      expect(ids.sort()).toEqual([made.own, made.shared].sort());
    },
  },
  {
    // The /canned-responses page's read path (app/(app)/canned-responses/page.tsx).
    kind: "read",
    module: "@/lib/canned/queries",
    export: "listCannedResponses",
    audit: null,
    permission: "canned:use",
    objects: ["ownCanned", "cannedOfStaff"],
    prepare: (w) => makeCanned(w, true),
    input: (w) => ({ q: w.tag }),
    visible: (w, o, data) => (data as { id: string }[]).some((c) => c.id === cannedId(w, o)),
    async verify(w, _o, outcome) {
      const ids = (outcome as { data: { id: string }[] }).data.map((c) => c.id);
      expect(ids).toContain(cannedIds.get(w.tag)!.shared);
      expect(ids).not.toContain(cannedIds.get(w.tag)!.staff);
    },
  },
  // ---- webhooks (issue 16 §3, ADR 027) ----
  {
    kind: "action",
    module: WEBHOOK_MOD,
    export: "createWebhookAction",
    audit: "webhook.created",
    permission: "webhook:manage",
    objects: ["newWebhook"],
    input: (w) => ({ ...WEBHOOK_INPUT, name: `T3 new hook ${w.tag}` }),
    async verify(w, _o, outcome) {
      await successEvent(w, "webhook.created");
      const row = await w.db.webhook.findUniqueOrThrow({ where: { name: `T3 new hook ${w.tag}` } });
      expect(row.events).toEqual(["ticket.created", "sla.breached"]);
      // The secret is answered once, and stored only encrypted.
      const { secret } = (outcome as { data: { secret: string } }).data;
      expect(secret).toMatch(/^whsec_/);
      expect(row.secretEncrypted).not.toContain(secret);
    },
  },
  {
    kind: "action",
    module: WEBHOOK_MOD,
    export: "updateWebhookAction",
    audit: "webhook.updated",
    permission: "webhook:manage",
    objects: ["aWebhook"],
    prepare: (w) => makeWebhook(w),
    input: (w) => ({
      ...WEBHOOK_INPUT,
      webhookId: webhookOf(w).webhookId,
      name: `T3 renamed hook ${w.tag}`,
    }),
    async verify(w) {
      await successEvent(w, "webhook.updated");
      const row = await w.db.webhook.findUniqueOrThrow({ where: { id: webhookOf(w).webhookId } });
      expect([row.name, row.active]).toEqual([`T3 renamed hook ${w.tag}`, false]);
    },
  },
  {
    kind: "action",
    module: WEBHOOK_MOD,
    export: "setWebhookActiveAction",
    audit: "webhook.enabled",
    permission: "webhook:manage",
    objects: ["aWebhook"],
    prepare: (w) => makeWebhook(w),
    input: (w) => ({ webhookId: webhookOf(w).webhookId, active: false }),
    async verify(w) {
      await successEvent(w, "webhook.disabled");
      const row = await w.db.webhook.findUniqueOrThrow({ where: { id: webhookOf(w).webhookId } });
      expect(row.active).toBe(false);
    },
  },
  {
    kind: "action",
    module: WEBHOOK_MOD,
    export: "deleteWebhookAction",
    audit: "webhook.deleted",
    permission: "webhook:manage",
    objects: ["aWebhook"],
    prepare: (w) => makeWebhook(w),
    input: (w) => ({ webhookId: webhookOf(w).webhookId }),
    async verify(w) {
      await successEvent(w, "webhook.deleted");
      expect(await w.db.webhook.count({ where: { id: webhookOf(w).webhookId } })).toBe(0);
    },
  },
  {
    kind: "action",
    module: WEBHOOK_MOD,
    export: "rotateWebhookSecretAction",
    audit: "webhook.secret_rotated",
    permission: "webhook:manage",
    objects: ["aWebhook"],
    prepare: (w) => makeWebhook(w),
    input: (w) => ({ webhookId: webhookOf(w).webhookId }),
    async verify(w, _o, outcome) {
      await successEvent(w, "webhook.secret_rotated");
      expect((outcome as { data: { secret: string } }).data.secret).toMatch(/^whsec_/);
    },
  },
  {
    kind: "action",
    module: WEBHOOK_MOD,
    export: "sendTestEventAction",
    audit: "webhook.test_sent",
    permission: "webhook:manage",
    objects: ["aWebhook"],
    prepare: (w) => makeWebhook(w),
    input: (w) => ({ webhookId: webhookOf(w).webhookId }),
    async verify(w) {
      await successEvent(w, "webhook.test_sent");
      const rows = await w.db.webhookDelivery.findMany({
        where: { webhookId: webhookOf(w).webhookId, status: "PENDING" },
      });
      expect(rows.map((r) => r.eventType)).toEqual(["webhook.test"]);
      // Not sent to a closed port by a later test: the webhook is turned off.
      await w.db.webhook.update({ where: { id: webhookOf(w).webhookId }, data: { active: false } });
    },
  },
  {
    kind: "action",
    module: WEBHOOK_MOD,
    export: "resendDeliveryAction",
    audit: "webhook.delivery_resent",
    permission: "webhook:manage",
    objects: ["aWebhook"],
    prepare: (w) => makeWebhook(w),
    input: (w) => ({ deliveryId: webhookOf(w).deliveryId }),
    async verify(w) {
      await successEvent(w, "webhook.delivery_resent");
      expect(
        await w.db.webhookDelivery.count({
          where: { webhookId: webhookOf(w).webhookId, status: "PENDING" },
        }),
      ).toBe(1);
      await w.db.webhook.update({ where: { id: webhookOf(w).webhookId }, data: { active: false } });
    },
  },
  {
    // The Webhooks page's read paths (app/(app)/admin/webhooks).
    kind: "read",
    module: "@/lib/webhooks/queries",
    export: "listWebhooksForAdmin",
    audit: null,
    permission: "webhook:manage",
    objects: ["aWebhook"],
    prepare: (w) => makeWebhook(w),
    input: () => undefined,
    visible: (w, _o, data) =>
      (data as { id: string }[]).some((h) => h.id === webhookOf(w).webhookId),
    async verify(w, _o, outcome) {
      expect(outcome).toMatchObject({ kind: "ok" });
    },
  },
  {
    kind: "read",
    module: "@/lib/webhooks/queries",
    export: "listDeliveries",
    audit: null,
    permission: "webhook:manage",
    objects: ["aWebhook"],
    prepare: (w) => makeWebhook(w),
    input: (w) => webhookOf(w).webhookId,
    visible: (w, _o, data) =>
      (data as { id: string }[]).some((d) => d.id === webhookOf(w).deliveryId),
    async verify(w, _o, outcome) {
      expect(outcome).toMatchObject({ kind: "ok" });
    },
  },
  // ---- API tokens (issue 16 §2, ADR 025): one's own for everyone, anyone's revoked by admins,
  // service accounts and their tokens by "user:manage".
  {
    kind: "action",
    module: TOKENS_MOD,
    export: "createApiTokenAction",
    audit: "apitoken.create",
    permission: "apitoken:manage",
    objects: ["newOwnToken"],
    input: (w) => ({ name: `T3 new ${w.tag}`, scopes: ["tickets:read"], expiresIn: "30" }),
    async verify(w, _o, outcome) {
      const row = await w.db.apiToken.findFirstOrThrow({ where: { name: `T3 new ${w.tag}` } });
      expect(row.userId).toBe(w.actor!.id);
      const token = (outcome as { data: { token: string } }).data.token;
      expect(row.secretHash).toBe(createHash("sha256").update(token).digest("hex"));
      await successEvent(w, "apitoken.create");
    },
  },
  {
    kind: "action",
    module: TOKENS_MOD,
    export: "revokeApiTokenAction",
    audit: "apitoken.revoke",
    permission: "apitoken:manage",
    objects: ["ownToken", "tokenOfA"],
    prepare: (w) => makeTokens(w),
    input: (w, o) => ({ tokenId: tokenId(w, o) }),
    async verify(w, o) {
      const row = await w.db.apiToken.findUniqueOrThrow({ where: { id: tokenId(w, o) } });
      expect(row.revokedAt).not.toBeNull();
      await successEvent(w, "apitoken.revoke");
    },
  },
  {
    kind: "read",
    module: "@/lib/api-tokens/queries",
    export: "listTokens",
    audit: null,
    permission: "apitoken:manage",
    objects: ["ownToken", "tokenOfA"],
    prepare: (w) => makeTokens(w),
    input: (w, o) => (o === "tokenOfA" ? w.a.id : (w.actor?.id ?? "none")),
    visible: (w, o, data) => (data as { id: string }[]).some((t) => t.id === tokenId(w, o)),
    async verify(w, o, outcome) {
      const listed = (outcome as { data: Record<string, unknown>[] }).data;
      const ids = listed.map((t) => t.id as string);
      expect(ids).toContain(tokenId(w, o));
      const owner = o === "tokenOfA" ? w.a.id : w.actor!.id;
      const owners = await w.db.apiToken.findMany({ where: { id: { in: ids } } });
      expect(new Set(owners.map((t) => t.userId))).toEqual(new Set([owner]));
      expect(Object.keys(listed[0]!)).not.toContain("secretHash");
    },
  },
  {
    kind: "action",
    module: TOKENS_MOD,
    export: "createServiceTokenAction",
    audit: "apitoken.create",
    permission: "user:manage",
    objects: ["aServiceAccount"],
    prepare: (w) => makeTokens(w),
    input: (w) => ({
      userId: tokenIds.get(w.tag)?.service ?? "none",
      name: `T3 service token ${w.tag}`,
      scopes: ["tickets:read", "tickets:write"],
      expiresIn: "never",
    }),
    async verify(w) {
      const row = await w.db.apiToken.findFirstOrThrow({
        where: { name: `T3 service token ${w.tag}` },
      });
      expect(row).toMatchObject({
        userId: tokenIds.get(w.tag)!.service,
        createdById: w.actor!.id,
        expiresAt: null,
      });
      await successEvent(w, "apitoken.create");
    },
  },
  {
    kind: "action",
    module: USERS_MOD,
    export: "createServiceAccountAction",
    audit: "user.create",
    permission: "user:manage",
    objects: ["newUser"],
    input: (w) => ({ name: `T3 service ${w.tag}`, role: "USER" }),
    async verify(w) {
      const row = await w.db.user.findFirstOrThrow({ where: { name: `T3 service ${w.tag}` } });
      expect(row.kind).toBe("SERVICE");
      expect(row.email).toMatch(/@service\.invalid$/);
      await successEvent(w, "user.create");
    },
  },
];
