// The ticket's conversation. Users see the public replies; staff see one timeline that merges
// replies, internal notes (unmistakably marked) and changes taken from the ticket's audit events.
import { AttachmentList } from "@/components/attachments/attachment-list";
import { RoleBadge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { When } from "@/components/ui/when";
import { LockIcon } from "./lock-icon";
import Link from "next/link";
import type { AttachmentListItem } from "@/lib/attachments/schemas";
import { CSAT_LABELS, type CsatRating } from "@/lib/csat/schemas";
import type { CommentWindow, TicketCommentView, TicketEvent } from "@/lib/tickets/queries";
import {
  PRIORITY_LABELS,
  STATUS_LABELS,
  type TicketPriority,
  type TicketStatus,
} from "@/lib/tickets/status";
import { Markdown } from "./markdown";

type Names = { people: Map<string, string>; categories: Map<string, string> };

/** A comment as the timeline shows it: with its files, once the query provides them. */
export type TimelineComment = TicketCommentView & { attachments?: AttachmentListItem[] };

type Entry =
  | { kind: "comment"; at: Date; comment: TimelineComment }
  | { kind: "change"; at: Date; id: string; who: string; changes: string[] };

/** Comments of a long conversation that are not on this page: [from, to) in conversation order. */
type Gap = { from: number; to: number; total: number };

/** The hidden stretches between (and around) the runs of comments shown. */
export function gapsOf(window: CommentWindow): { before: number; gap: Gap }[] {
  const gaps: { before: number; gap: Gap }[] = [];
  let next = 0; // first comment index not yet accounted for
  let shown = 0; // comments shown so far (index into the comments array)
  for (const run of window.runs) {
    if (run.offset > next)
      gaps.push({ before: shown, gap: { from: next, to: run.offset, total: window.total } });
    shown += run.count;
    next = run.offset + run.count;
  }
  if (next < window.total)
    gaps.push({ before: shown, gap: { from: next, to: window.total, total: window.total } });
  return gaps;
}

const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** Human sentences for one audit event's before/after; [] when nothing worth showing changed. */
export function describeChanges(event: TicketEvent, names: Names): string[] {
  const before = record(event.before);
  const after = record(event.after);
  const person = (id: unknown) =>
    typeof id === "string" ? (names.people.get(id) ?? "a former staff member") : "nobody";
  const category = (id: unknown) =>
    typeof id === "string" ? (names.categories.get(id) ?? "a removed category") : "none";
  if (event.action === "ticket.create") {
    const onBehalf = record(event.metadata).onBehalfOf;
    return [onBehalf ? `filed the ticket for ${person(onBehalf)}` : "opened the ticket"];
  }
  if (event.action === "ticket.delete") return ["deleted the ticket"];
  if (event.action === "csat.answered") {
    const rating = CSAT_LABELS[after.rating as CsatRating];
    return rating ? [`rated the help “${rating}”`] : [];
  }
  const out: string[] = [];
  for (const key of Object.keys(after)) {
    const from = before[key];
    const to = after[key];
    if (key === "status") {
      out.push(
        `changed the status from ${STATUS_LABELS[from as TicketStatus] ?? from} to ${STATUS_LABELS[to as TicketStatus] ?? to}`,
      );
    } else if (key === "priority") {
      out.push(
        `changed the priority from ${PRIORITY_LABELS[from as TicketPriority] ?? from} to ${PRIORITY_LABELS[to as TicketPriority] ?? to}`,
      );
    } else if (key === "categoryId") {
      out.push(`moved it from ${category(from)} to ${category(to)}`);
    } else if (key === "assigneeId") {
      if (event.action === "ticket.take") out.push("took it");
      else out.push(to ? `assigned it to ${person(to)}` : "unassigned it");
    } else if (key === "title") {
      out.push("edited the title");
    } else if (key === "description") {
      out.push("edited the description");
    }
  }
  if (out.length > 0 && record(event.metadata).bulk) out[out.length - 1] += " (bulk change)";
  return out;
}

export function Timeline({
  comments,
  window,
  ticketNumber,
  events,
  names,
}: {
  comments: TimelineComment[];
  window?: CommentWindow;
  ticketNumber?: number;
  events: TicketEvent[];
  names: Names;
}) {
  const gaps = window ? gapsOf(window) : [];
  // Changes made while hidden comments were written are hidden with them.
  const hidden = gaps.map(({ before }) => ({
    after: comments[before - 1]?.createdAt.getTime() ?? Number.NEGATIVE_INFINITY,
    until: comments[before]?.createdAt.getTime() ?? Number.POSITIVE_INFINITY,
  }));
  const inGap = (at: Date) =>
    hidden.some(({ after, until }) => at.getTime() > after && at.getTime() < until);
  const entries: Entry[] = [
    ...comments.map((comment) => ({ kind: "comment" as const, at: comment.createdAt, comment })),
    ...events.flatMap((event) => {
      if (inGap(event.createdAt)) return [];
      const changes = describeChanges(event, names);
      if (changes.length === 0) return [];
      const who = event.actor ? (event.actor.name ?? "Someone") : "System";
      return [{ kind: "change" as const, at: event.createdAt, id: event.id, who, changes }];
    }),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());

  if (entries.length === 0 && gaps.length === 0) {
    return <p className="text-sm text-fg-muted">No replies yet.</p>;
  }
  // Each gap's marker goes right before the first comment shown after it (or at the end).
  const markerBefore = new Map(gaps.map(({ before, gap }) => [comments[before]?.id ?? "", gap]));
  const items: React.ReactNode[] = [];
  for (const entry of entries) {
    const gap = entry.kind === "comment" ? markerBefore.get(entry.comment.id) : undefined;
    if (gap) items.push(<GapMarker key={`g-${gap.from}`} gap={gap} ticketNumber={ticketNumber} />);
    items.push(
      entry.kind === "comment" ? (
        <li key={`c-${entry.comment.id}`}>
          <CommentCard comment={entry.comment} />
        </li>
      ) : (
        <li
          key={`e-${entry.id}`}
          className="flex gap-2 px-1 text-sm text-fg-muted"
          data-testid="timeline-change"
        >
          <span aria-hidden="true" className="mt-2 size-1.5 shrink-0 rounded-full bg-fg-muted" />
          <p className="min-w-0 wrap-anywhere">
            <span className="font-medium text-fg">{entry.who}</span> {entry.changes.join("; ")} ·{" "}
            <When date={entry.at} />
          </p>
        </li>
      ),
    );
  }
  const last = markerBefore.get("");
  if (last) items.push(<GapMarker key={`g-${last.from}`} gap={last} ticketNumber={ticketNumber} />);
  return (
    <ol className="space-y-4" aria-label="Conversation">
      {items}
    </ol>
  );
}

/** "12 earlier replies are not shown. Show them": a link to the page of comments from there. */
function GapMarker({ gap, ticketNumber }: { gap: Gap; ticketNumber?: number }) {
  const count = gap.to - gap.from;
  const later = gap.to === gap.total;
  // The page of up to 50 comments that ends where the gap ends (earlier) or starts at it (later).
  const offset = later ? gap.from : Math.max(gap.from, gap.to - 50);
  const label = `${count} ${later ? "later" : "earlier"} ${count === 1 ? "reply is" : "replies are"} not shown.`;
  return (
    <li
      className="rounded-lg border border-dashed border-line p-3 text-center text-sm text-fg-muted"
      data-testid="timeline-gap"
    >
      {label}{" "}
      {ticketNumber !== undefined && (
        <Link
          href={`/tickets/${ticketNumber}?replies=${offset}`}
          className="text-link underline"
          scroll={false}
        >
          Show {later ? "later" : "earlier"} replies
        </Link>
      )}
    </li>
  );
}

function CommentCard({ comment }: { comment: TimelineComment }) {
  const internal = comment.internal;
  return (
    <article
      id={`comment-${comment.id}`}
      data-testid={internal ? "internal-note" : "public-reply"}
      className={cn(
        "rounded-lg border p-4",
        internal
          ? "border-amber-400 bg-amber-50 dark:border-amber-700 dark:bg-amber-950/50"
          : "border-line bg-surface",
      )}
    >
      {internal && (
        <p className="mb-2 flex items-center gap-2 text-xs font-semibold tracking-wide text-amber-900 uppercase dark:text-amber-200">
          <LockIcon /> Internal note — not visible to the requester
        </p>
      )}
      <header className="mb-2 flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
        <span className="font-medium text-fg">{comment.author.name}</span>
        {comment.author.role !== "USER" && <RoleBadge role={comment.author.role} />}
        <When className="text-fg-muted" date={comment.createdAt} />
      </header>
      <Markdown html={comment.html} />
      {comment.attachments && comment.attachments.length > 0 && (
        <AttachmentList className="mt-3" attachments={comment.attachments} internal={internal} />
      )}
    </article>
  );
}
