// Pure helpers of the staff ticket form (triage-form.tsx): what the page was opened with, what
// the person changed, what someone else changed meanwhile, and the reply draft kept in the tab.
import type { CommentVisibility } from "@/lib/tickets/schemas";
import {
  PRIORITY_LABELS,
  STATUS_LABELS,
  type TicketPriority,
  type TicketStatus,
} from "@/lib/tickets/status";

/** The ticket's triage fields as a page rendered them. */
export type TriageSnapshot = {
  version: number;
  status: TicketStatus;
  priority: TicketPriority;
  categoryId: string;
  assigneeId: string | null;
  /** Comments the viewer can see (staff: replies and notes). */
  commentTotal: number;
};

export type TriageValues = {
  ticketId: string;
  version: number;
  status: TicketStatus;
  priority: TicketPriority;
  categoryId: string;
  /** "" = unassigned (an empty <option>). */
  assigneeId: string;
  body: string;
  visibility: CommentVisibility;
  /** The optional "Time spent" logged with the message (lib/time). */
  timeSpent: string;
};

export const TRIAGE_FIELDS = ["status", "priority", "categoryId", "assigneeId"] as const;
export type TriageFieldName = (typeof TRIAGE_FIELDS)[number];

export const FIELD_LABELS: Record<TriageFieldName, string> = {
  status: "Status",
  priority: "Priority",
  categoryId: "Category",
  assigneeId: "Assignee",
};

export function fieldValue(snapshot: TriageSnapshot, field: TriageFieldName): string {
  return field === "assigneeId" ? (snapshot.assigneeId ?? "") : snapshot[field];
}

/** The fields whose chosen value differs from the snapshot: the pending (unsaved) changes. */
export function pendingFields(
  base: TriageSnapshot,
  values: Pick<TriageValues, TriageFieldName>,
): TriageFieldName[] {
  return TRIAGE_FIELDS.filter((f) => values[f] !== fieldValue(base, f));
}

export type Names = { people: Map<string, string>; categories: Map<string, string> };

/** A field's value as a person reads it. */
export function describe(field: TriageFieldName, value: string, names: Names): string {
  if (field === "status") return STATUS_LABELS[value as TicketStatus] ?? value;
  if (field === "priority") return PRIORITY_LABELS[value as TicketPriority] ?? value;
  if (field === "categoryId") return names.categories.get(value) ?? "another category";
  return value === "" ? "Unassigned" : (names.people.get(value) ?? "someone else");
}

export type StaleChanges = {
  fields: { field: TriageFieldName; from: string; to: string }[];
  newComments: number;
  /** Only the version moved: the title or description was edited. */
  otherEdit: boolean;
};

/** What changed between the snapshot a form started from and a fresher one. */
export function staleChanges(base: TriageSnapshot, fresh: TriageSnapshot): StaleChanges {
  const fields = TRIAGE_FIELDS.filter((f) => fieldValue(base, f) !== fieldValue(fresh, f)).map(
    (field) => ({ field, from: fieldValue(base, field), to: fieldValue(fresh, field) }),
  );
  const newComments = Math.max(0, fresh.commentTotal - base.commentTotal);
  return {
    fields,
    newComments,
    otherEdit: fields.length === 0 && newComments === 0 && fresh.version !== base.version,
  };
}

/**
 * Whether the server's snapshot is ahead of the form's. Never backwards: right after a submit
 * the form already holds the result while the page still shows the props from before it.
 */
export const isNewer = (fresh: TriageSnapshot, base: TriageSnapshot) =>
  fresh.version > base.version || fresh.commentTotal > base.commentTotal;

/**
 * "Reload and keep my reply": the fresh values, except the fields the person changed that nobody
 * else did; the reply as typed.
 */
export function rebase(
  base: TriageSnapshot,
  fresh: TriageSnapshot,
  values: TriageValues,
): TriageValues {
  const next = { ...values, version: fresh.version };
  for (const f of TRIAGE_FIELDS) {
    const theirs = fieldValue(base, f) !== fieldValue(fresh, f);
    if (theirs || values[f] === fieldValue(base, f)) {
      (next as Record<TriageFieldName, string>)[f] = fieldValue(fresh, f);
    }
  }
  return next;
}

/** The form's values for a snapshot; a closed ticket takes internal notes only. */
export function valuesOf(
  ticketId: string,
  snapshot: TriageSnapshot,
  canReply = true,
): TriageValues {
  return {
    ticketId,
    version: snapshot.version,
    status: snapshot.status,
    priority: snapshot.priority,
    categoryId: snapshot.categoryId,
    assigneeId: snapshot.assigneeId ?? "",
    body: "",
    visibility: canReply ? "public" : "internal",
    timeSpent: "",
  };
}

// ---- the reply draft, per ticket, for this tab (survives a reload or leaving and coming back) ----

type Draft = { body: string; visibility: CommentVisibility };
const draftKey = (ticketId: string) => `tessera.reply-draft.${ticketId}`;

export function readDraft(ticketId: string): Draft | null {
  try {
    const raw = window.sessionStorage.getItem(draftKey(ticketId));
    if (!raw) return null;
    const draft = JSON.parse(raw) as Partial<Draft>;
    if (typeof draft.body !== "string" || draft.body === "") return null;
    return {
      body: draft.body,
      visibility: draft.visibility === "internal" ? "internal" : "public",
    };
  } catch {
    return null; // storage disabled or a hand-edited value: no draft
  }
}

export function writeDraft(ticketId: string, draft: Draft): void {
  try {
    if (draft.body.trim() === "") window.sessionStorage.removeItem(draftKey(ticketId));
    else window.sessionStorage.setItem(draftKey(ticketId), JSON.stringify(draft));
  } catch {
    // storage full or disabled: the draft lives in the form only
  }
}
