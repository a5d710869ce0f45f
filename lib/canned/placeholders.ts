// Placeholders of canned responses (issue 15 §3): `{{requester.firstName}}` and friends, filled
// in the browser when a snippet is inserted into the reply box. Pure and client-safe.
//
// The reply is Markdown, rendered by the sanitising pipeline when it is sent (lib/markdown). The
// values come from people (a requester picks their own name and the ticket's title), so each is
// inserted as plain text: Markdown and HTML in it are escaped and line breaks folded, so a title
// such as `[Reset your password](https://evil.example)` stays those characters in the help desk's
// reply instead of becoming a link. One pass over the snippet: a value that itself contains
// `{{agent.name}}` is never expanded again.
import { formatTicketNumber } from "@/lib/tickets/status";

export const PLACEHOLDERS = {
  "requester.firstName": "The requester's first name",
  "requester.name": "The requester's full name",
  "ticket.number": "The ticket's number, e.g. #1042",
  "ticket.title": "The ticket's title",
  "agent.name": "Your name",
  "agent.firstName": "Your first name",
} as const;
export type PlaceholderKey = keyof typeof PLACEHOLDERS;

/** What the ticket page knows: the placeholders' values are derived from these. */
export type PlaceholderContext = {
  requesterName: string;
  ticketNumber: number;
  ticketTitle: string;
  agentName: string;
};

/** Whitespace inside the braces is tolerated: `{{ requester.firstName }}`. */
const PATTERN = /\{\{\s*([A-Za-z]+\.[A-Za-z]+)\s*\}\}/g;

/** The first word of a name ("Ada" of "Ada Lovelace"); the whole name if it has one word. */
export function firstNameOf(name: string): string {
  return name.trim().split(/\s+/)[0] ?? "";
}

/**
 * Text that Markdown shows as it is: inline syntax escaped everywhere (emphasis, code, links,
 * HTML, tables, strike-through, entities) and block syntax at the start (a heading, a list, a
 * quote, a rule), line breaks folded to spaces so a value cannot start a block of its own.
 */
export function markdownText(value: string): string {
  return value
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/&(?=#?\w+;)/g, "\\&")
    .replace(/^(#{1,6})(?= |$)/, (m) => m.replace(/#/g, "\\#"))
    .replace(/^([-+=])(?=[ \-+=]|$)/, "\\$1")
    .replace(/^(\d+)([.)])(?= |$)/, "$1\\$2");
}

export function placeholderValues(context: PlaceholderContext): Record<PlaceholderKey, string> {
  return {
    "requester.firstName": markdownText(firstNameOf(context.requesterName)),
    "requester.name": markdownText(context.requesterName),
    "ticket.number": formatTicketNumber(context.ticketNumber),
    "ticket.title": markdownText(context.ticketTitle),
    "agent.name": markdownText(context.agentName),
    "agent.firstName": markdownText(firstNameOf(context.agentName)),
  };
}

const isKey = (key: string): key is PlaceholderKey => Object.hasOwn(PLACEHOLDERS, key);

/** The snippet with every known placeholder replaced; unknown ones are left as written. */
export function fillPlaceholders(body: string, context: PlaceholderContext): string {
  const values = placeholderValues(context);
  return body.replace(PATTERN, (match, key: string) => (isKey(key) ? values[key] : match));
}
