import "server-only";
// The admin Email page (issue 14 §1): what was sent, kept or failed, and why.
import { assertCan, type Role } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import type { EmailStatus } from "@/lib/generated/prisma/client";

const PAGE = 50;

export type EmailListItem = {
  id: string;
  kind: string;
  toAddress: string;
  subject: string;
  status: EmailStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
};

/**
 * Newest first, 50 per page (keyset: `before` is the last id of the previous page); optionally
 * one status and a recipient (part of the address).
 */
export async function listEmails(
  viewer: { role: Role },
  options: { status?: EmailStatus; to?: string; before?: string } = {},
): Promise<{ items: EmailListItem[]; next: string | null }> {
  assertCan(viewer, "email:read");
  const before =
    options.before && /^\d{1,19}$/.test(options.before) ? BigInt(options.before) : null;
  const rows = await db.emailMessage.findMany({
    where: {
      ...(options.status && { status: options.status }),
      ...(options.to && { toAddress: { contains: options.to.toLowerCase() } }),
      ...(before !== null && { id: { lt: before } }),
    },
    orderBy: { id: "desc" },
    take: PAGE + 1,
    select: {
      id: true,
      kind: true,
      toAddress: true,
      subject: true,
      status: true,
      attempts: true,
      lastError: true,
      createdAt: true,
      sentAt: true,
    },
  });
  const items = rows.slice(0, PAGE).map((r) => ({ ...r, id: r.id.toString() }));
  return { items, next: rows.length > PAGE ? items.at(-1)!.id : null };
}

/** One mail as stored: headers, both parts. null when there is no such id. */
export async function getEmail(viewer: { role: Role }, id: string) {
  assertCan(viewer, "email:read");
  if (!/^\d{1,19}$/.test(id)) return null;
  const row = await db.emailMessage.findUnique({ where: { id: BigInt(id) } });
  return row && { ...row, id: row.id.toString(), headers: row.headers as Record<string, string> };
}

export type InboundListItem = {
  id: string;
  fromAddress: string;
  subject: string;
  outcome: string;
  detail: string | null;
  ticketNumber: number | null;
  receivedAt: Date;
};

/** The Email page's "Received" view: what came of each message read from the mailbox. */
export async function listInbound(
  viewer: { role: Role },
  options: { before?: string } = {},
): Promise<{ items: InboundListItem[]; next: string | null }> {
  assertCan(viewer, "email:read");
  const before =
    options.before && /^\d{1,19}$/.test(options.before) ? BigInt(options.before) : null;
  const rows = await db.inboundEmail.findMany({
    where: before !== null ? { id: { lt: before } } : undefined,
    orderBy: { id: "desc" },
    take: PAGE + 1,
    select: {
      id: true,
      fromAddress: true,
      subject: true,
      outcome: true,
      detail: true,
      ticketId: true,
      receivedAt: true,
    },
  });
  const ticketIds = [...new Set(rows.flatMap((r) => (r.ticketId ? [r.ticketId] : [])))];
  const numbers = new Map(
    (
      await db.ticket.findMany({
        where: { id: { in: ticketIds } },
        select: { id: true, number: true },
      })
    ).map((t) => [t.id, t.number]),
  );
  const items = rows.slice(0, PAGE).map((r) => ({
    id: r.id.toString(),
    fromAddress: r.fromAddress,
    subject: r.subject,
    outcome: r.outcome,
    detail: r.detail,
    ticketNumber: r.ticketId ? (numbers.get(r.ticketId) ?? null) : null,
    receivedAt: r.receivedAt,
  }));
  return { items, next: rows.length > PAGE ? items.at(-1)!.id : null };
}

/** One received message as recorded, with its original text (before trimming). */
export async function getInbound(viewer: { role: Role }, id: string) {
  assertCan(viewer, "email:read");
  if (!/^\d{1,19}$/.test(id)) return null;
  const row = await db.inboundEmail.findUnique({ where: { id: BigInt(id) } });
  if (!row) return null;
  const ticket = row.ticketId
    ? await db.ticket.findUnique({ where: { id: row.ticketId }, select: { number: true } })
    : null;
  return { ...row, id: row.id.toString(), ticketNumber: ticket?.number ?? null };
}

export type MailNotice = {
  id: string;
  outcome: string;
  fromAddress: string;
  detail: string | null;
  receivedAt: Date;
};

/**
 * Staff see, on a ticket, the mail about it that added nothing: bounces of our mail, automatic
 * replies, floods held back (staff-only like internal notes: "ticket:note").
 */
export async function ticketMailNotices(
  viewer: { role: Role },
  ticketId: string,
): Promise<MailNotice[]> {
  assertCan(viewer, "ticket:note");
  const rows = await db.inboundEmail.findMany({
    where: { ticketId, outcome: { in: ["bounce", "automatic", "rate_limited"] } },
    orderBy: { id: "desc" },
    take: 10,
    select: { id: true, outcome: true, fromAddress: true, detail: true, receivedAt: true },
  });
  return rows.map((r) => ({ ...r, id: r.id.toString() }));
}
