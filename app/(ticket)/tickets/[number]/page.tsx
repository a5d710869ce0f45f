import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CsatRequesterPanel, CsatResults } from "@/components/csat/csat-panels";
import { TicketEditForm } from "@/components/forms/ticket-edit-form";
import { TimePanel } from "@/components/time/time-panel";
import { LiveTicket } from "@/components/live/live-ticket";
import { AssignToMeShortcut } from "@/components/keyboard/assign-to-me";
import { FollowUpLinks } from "@/components/tickets/follow-up-links";
import { MailNotices } from "@/components/tickets/mail-notices";
import { ticketMailNotices } from "@/lib/email/queries";
import { TicketReplyForm } from "@/components/forms/ticket-reply-form";
import { RequesterActions } from "@/components/tickets/requester-actions";
import { PriorityBadge, StatusBadge } from "@/components/tickets/ticket-badges";
import { TicketDeleteButton } from "@/components/tickets/ticket-delete-button";
import { TicketDescription } from "@/components/tickets/ticket-description";
import { SlaPanel } from "@/components/tickets/sla-panel";
import { getDateContext } from "@/lib/dates-server";
import { ticketSla } from "@/lib/sla/queries";
import { ticketAttachments } from "@/lib/attachments/queries";
import { TriageForm } from "@/components/tickets/triage-form";
import { Timeline } from "@/components/tickets/timeline";
import { When } from "@/components/ui/when";
import { buttonVariants } from "@/components/ui/button";
import { FormSuccess } from "@/components/ui/form-message";
import { PageHeader } from "@/components/ui/page-header";
import { attachmentLimits } from "@/lib/attachments/limits";
import { requirePagePermission } from "@/lib/auth/guards";
import { markTicketSeen } from "@/lib/tickets/unread";
import { can, canOn } from "@/lib/auth/permissions";
import { listActiveCategories, listAllCategories } from "@/lib/categories/queries";
import { requesterSurvey, ticketSurveyResults } from "@/lib/csat/queries";
import { todayIn } from "@/lib/time/duration";
import { ticketTimeEntries } from "@/lib/time/queries";
import { NotFoundError } from "@/lib/errors";
import { noteTicketRead } from "@/lib/security/anomaly";
import {
  getTicket,
  getTicketEvents,
  listAssignableStaff,
  type TicketDetail,
} from "@/lib/tickets/queries";
import { formatTicketNumber, type StatusAudience } from "@/lib/tickets/status";

type Props = {
  params: Promise<{ number: string }>;
  searchParams: Promise<{ created?: string; replies?: string }>;
};

export async function generateMetadata({ params }: Pick<Props, "params">): Promise<Metadata> {
  // The number only: a title in the tab must not leak past the page's own access check.
  const n = parseNumber((await params).number);
  return { title: n === null ? "Ticket" : `Ticket ${formatTicketNumber(n)}` };
}

function parseNumber(raw: string): number | null {
  const n = Number(raw);
  return /^\d{1,9}$/.test(raw) && Number.isSafeInteger(n) ? n : null;
}

async function loadTicket(
  user: { id: string; role: "ADMIN" | "TECHNICIAN" | "USER" },
  n: number,
  commentsFrom: number | undefined,
) {
  try {
    return await getTicket(user, { number: n }, { commentsFrom });
  } catch (error) {
    // Unknown and not-yours look the same: a plain 404.
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

export default async function TicketPage({ params, searchParams }: Props) {
  const user = await requirePagePermission("ticket:read");
  const n = parseNumber((await params).number);
  if (n === null) notFound();
  const { created, replies } = await searchParams;
  // "Show earlier replies" on a long conversation: the offset of the first comment to show.
  const commentsFrom = replies && /^\d{1,6}$/.test(replies) ? Number(replies) : undefined;
  const ticket = await loadTicket(user, n, commentsFrom);
  // Reads are not audited; the anomaly rule "mass_ticket_reads" counts them (never throws).
  await noteTicketRead(user, ticket.id);
  // Opening the ticket reads it: its unread marker goes (lib/tickets/unread.ts).
  await markTicketSeen(user, ticket.id);
  // Its files, scoped like the comments (an internal note's files are staff-only).
  const [files, limits] = await Promise.all([
    ticketAttachments(user, ticket.id),
    attachmentLimits(),
  ]);
  const comments = ticket.comments.map((c) => ({ ...c, attachments: files.byComment.get(c.id) }));
  // The help desk's view: the change timeline, triage and notes ("ticket:triage").
  const staff = can(user, "ticket:triage");
  const [events, staffList, activeCategories, allCategories, mailNotices, sla, dates] = staff
    ? await Promise.all([
        getTicketEvents(user, ticket.id),
        listAssignableStaff(user),
        listActiveCategories(),
        listAllCategories(),
        ticketMailNotices(user, ticket.id),
        ticketSla(user, ticket.id),
        getDateContext(),
      ])
    : [[], [], [], [], [], null, null];
  // "How did we do?": the requester's question on a resolved ticket; staff see the answers.
  const [survey, csatResults, time] = await Promise.all([
    requesterSurvey(user, {
      id: ticket.id,
      status: ticket.status,
      requesterId: ticket.requester.id,
    }),
    can(user, "csat:read") ? ticketSurveyResults(user, ticket.id) : null,
    // Time logged: staff only.
    can(user, "time:log") ? ticketTimeEntries(user, ticket.id) : null,
  ]);
  const sidebar = staff || ticket.can.delete;
  const names = {
    people: new Map<string, string>([
      [ticket.requester.id, ticket.requester.name],
      ...(ticket.assignee ? [[ticket.assignee.id, ticket.assignee.name] as [string, string]] : []),
      ...staffList.map((s) => [s.id, s.name] as [string, string]),
    ]),
    categories: new Map(allCategories.map((c) => [c.id, c.name])),
  };

  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/tickets" className="text-link underline-offset-2 hover:underline">
          ← {staff ? "Tickets" : "My tickets"}
        </Link>
      </p>
      <PageHeader
        className="mb-0"
        title={
          <>
            <span className="text-fg-muted">{formatTicketNumber(ticket.number)}</span>{" "}
            {ticket.title}
          </>
        }
      />
      <FollowUpLinks followUpOf={ticket.followUpOf} followUps={ticket.followUps} />
      {ticket.can.triage && (
        <AssignToMeShortcut
          ticketId={ticket.id}
          version={ticket.version}
          assignedToMe={ticket.assignee?.id === user.id}
          viewerId={user.id}
        />
      )}
      <div data-testid="created-message">
        <FormSuccess
          message={
            created
              ? `Ticket ${formatTicketNumber(ticket.number)} was created. Replies from the help desk will appear on this page.`
              : null
          }
        />
      </div>
      <div
        className={
          sidebar
            ? "grid gap-6 lg:grid-cols-[minmax(0,1fr)_16rem]"
            : staff
              ? "max-w-5xl space-y-6"
              : "max-w-3xl space-y-6"
        }
      >
        <div className="min-w-0 space-y-6">
          <Details ticket={ticket} audience={staff ? "staff" : "requester"} />
          {sla && dates && <SlaPanel sla={sla} dates={dates} />}
          <section aria-labelledby="description-heading" className="space-y-2">
            <h2 id="description-heading" className="text-base font-semibold">
              Description
            </h2>
            <TicketDescription html={ticket.descriptionHtml} attachments={files.ticket} />
            {ticket.can.edit && (
              <TicketEditForm
                ticketId={ticket.id}
                version={ticket.version}
                title={ticket.title}
                description={ticket.description}
              />
            )}
          </section>
          <section aria-labelledby="conversation-heading" className="space-y-3">
            <h2 id="conversation-heading" className="text-base font-semibold">
              {staff ? "Timeline" : "Conversation"}
            </h2>
            <Timeline
              comments={comments}
              window={ticket.commentWindow}
              ticketNumber={ticket.number}
              events={events}
              names={names}
            />
          </section>
          {staff && <MailNotices notices={mailNotices} />}
          {survey && <CsatRequesterPanel ticketId={ticket.id} survey={survey} />}
          {!staff && (
            <RequesterActions
              ticketId={ticket.id}
              version={ticket.version}
              transitions={ticket.can.transitions}
            />
          )}
          {/* Live updates: this ticket's changes refresh the page; staff see who else is here. */}
          <LiveTicket ticketId={ticket.id} staff={staff} />
          {staff ? (
            // Staff: one form for the triage fields and the reply or note, fields first (on a
            // phone too). A closed ticket still takes internal notes.
            <section aria-labelledby="triage-heading">
              <TriageForm
                ticketId={ticket.id}
                ticket={{
                  version: ticket.version,
                  status: ticket.status,
                  priority: ticket.priority,
                  categoryId: ticket.category.id,
                  assigneeId: ticket.assignee?.id ?? null,
                  commentTotal: ticket.commentWindow.total,
                }}
                actor={{ role: user.role, isRequester: ticket.requester.id === user.id }}
                canReply={ticket.can.reply}
                canNote={ticket.can.note}
                categories={activeCategories}
                staff={staffList}
                viewerId={user.id}
                attachmentLimits={limits}
                canned={
                  can(user, "canned:use")
                    ? {
                        requesterName: ticket.requester.name,
                        ticketNumber: ticket.number,
                        ticketTitle: ticket.title,
                        agentName: user.name,
                      }
                    : undefined
                }
              />
            </section>
          ) : ticket.can.reply ? (
            <section aria-labelledby="reply-heading" className="space-y-2">
              <h2 id="reply-heading" className="text-base font-semibold">
                Reply
              </h2>
              <TicketReplyForm
                ticketId={ticket.id}
                canNote={ticket.can.note}
                attachmentLimits={limits}
              />
            </section>
          ) : (
            <div
              className="flex flex-col gap-3 rounded-lg border border-line bg-surface-muted p-4 text-sm sm:flex-row sm:items-center sm:justify-between"
              data-testid="closed-notice"
            >
              <p className="text-fg-muted">
                This ticket is closed. If the problem is back, or something related came up, report
                a follow-up: it links to this ticket.
              </p>
              {canOn(user, "ticket:create", user.id) && (
                <Link
                  href={`/tickets/new?followUp=${ticket.number}`}
                  className={buttonVariants({ variant: "secondary", className: "shrink-0" })}
                >
                  Report a follow-up
                </Link>
              )}
            </div>
          )}
        </div>
        {sidebar && (
          <aside className="min-w-0 space-y-4 lg:order-last">
            {time && dates && (
              <div className="rounded-lg border border-line bg-surface p-4">
                <TimePanel ticketId={ticket.id} time={time} today={todayIn(dates.timeZone)} />
              </div>
            )}
            {csatResults && (
              <div className="rounded-lg border border-line bg-surface p-4">
                <CsatResults results={csatResults} />
              </div>
            )}
            {ticket.can.delete && (
              <div className="rounded-lg border border-line bg-surface p-4 lg:sticky lg:top-4">
                <TicketDeleteButton
                  ticketId={ticket.id}
                  label={`ticket ${formatTicketNumber(ticket.number)}`}
                />
              </div>
            )}
          </aside>
        )}
      </div>
    </div>
  );
}

function Details({ ticket, audience }: { ticket: TicketDetail; audience: StatusAudience }) {
  const rows: [string, React.ReactNode][] = [
    ["Status", <StatusBadge key="s" status={ticket.status} audience={audience} />],
    ["Priority", <PriorityBadge key="p" priority={ticket.priority} />],
    ["Category", ticket.category.name],
    ["Requester", ticket.requester.name],
    ["Assignee", ticket.assignee?.name ?? "Not assigned yet"],
    ["Opened", <When key="c" date={ticket.createdAt} />],
    ["Last update", <When key="u" date={ticket.updatedAt} />],
  ];
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-3 rounded-lg border border-line bg-surface p-4 text-sm min-[400px]:grid-cols-2 md:grid-cols-3">
      {rows.map(([label, value]) => (
        <div key={label} className="min-w-0">
          <dt className="text-fg-muted">{label}</dt>
          <dd className="mt-0.5 font-medium wrap-anywhere text-fg">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
