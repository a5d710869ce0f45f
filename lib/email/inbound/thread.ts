import "server-only";
// Which ticket an inbound mail belongs to, in this order (issue 14 §3):
//   1. our own signed ids in In-Reply-To/References (lib/email/message-id.ts): they cannot be
//      forged, so they thread whoever sends them;
//   2. any stored Message-ID of a ticket: mail we sent, and mail we received (so a CC'd person's
//      reply-all to the requester's mail threads too);
//   3. the subject token "[#1042]", which anyone can type: processInbound accepts it only from
//      the ticket's requester or staff.
import type { ParsedMail } from "mailparser";
import { db } from "@/lib/db";
import { ticketOfMessageId } from "@/lib/email/message-id";

export type ThreadedTicket = {
  id: string;
  number: number;
  version: number;
  status: string;
  requesterId: string;
  by: "signed" | "stored" | "subject";
};

function references(mail: ParsedMail): string[] {
  const ids: string[] = [];
  const add = (v: string | string[] | undefined) => {
    for (const one of Array.isArray(v) ? v : v ? v.split(/\s+/) : []) {
      const bare = one.trim().replace(/^<|>$/g, "");
      if (bare) ids.push(bare);
    }
  };
  add(mail.inReplyTo);
  add(mail.references);
  return [...new Set(ids)].slice(-50);
}

const select = { id: true, number: true, version: true, status: true, requesterId: true } as const;

export async function findTicket(mail: ParsedMail, _from: string): Promise<ThreadedTicket | null> {
  const refs = references(mail);
  for (const id of refs) {
    const number = ticketOfMessageId(id);
    if (number === null) continue;
    const ticket = await db.ticket.findFirst({ where: { number, deletedAt: null }, select });
    if (ticket) return { ...ticket, by: "signed" };
  }
  if (refs.length > 0) {
    const [stored] = await db.$queryRaw<{ ticketId: string }[]>`
      SELECT "ticketId" FROM "EmailMessage" WHERE "messageId" = ANY(${refs}) AND "ticketId" IS NOT NULL
      UNION ALL
      SELECT "ticketId" FROM "InboundEmail" WHERE "messageId" = ANY(${refs}) AND "ticketId" IS NOT NULL
      LIMIT 1`;
    if (stored) {
      const ticket = await db.ticket.findFirst({
        where: { id: stored.ticketId, deletedAt: null },
        select,
      });
      if (ticket) return { ...ticket, by: "stored" };
    }
  }
  const token = /\[#(\d{1,9})\]/.exec(mail.subject ?? "");
  if (token) {
    const ticket = await db.ticket.findFirst({
      where: { number: Number(token[1]), deletedAt: null },
      select,
    });
    if (ticket) return { ...ticket, by: "subject" };
  }
  return null;
}
