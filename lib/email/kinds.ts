// The kinds of mail Tessera sends. Notifications can be turned off per person on the account
// page (User.emailOff); account mail (password reset) and security alerts cannot.

export const NOTIFICATION_KINDS = {
  ticket_received: {
    label: "A ticket I opened was received",
    staffOnly: false,
  },
  reply: {
    label: "A new reply on a ticket I opened",
    staffOnly: false,
  },
  resolved: {
    label: "A ticket I opened was resolved",
    staffOnly: false,
  },
  assigned: {
    label: "A ticket was assigned to me",
    staffOnly: true,
  },
  assignee_reply: {
    label: "A new reply on a ticket assigned to me",
    staffOnly: true,
  },
  category_new: {
    label: "A new ticket in a category I follow",
    staffOnly: true,
  },
  sla_warning: {
    label: "A ticket I handle is at risk of missing its service level",
    staffOnly: true,
  },
  sla_breached: {
    label: "A ticket I handle missed its service level",
    staffOnly: true,
  },
} as const;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
export type EmailKind = NotificationKind | "password_reset" | "security_alert";

export const NOTIFICATION_KIND_NAMES = Object.keys(NOTIFICATION_KINDS) as NotificationKind[];

/** The kinds a person of this role may receive, and so choose on the account page. */
export function kindsFor(role: "ADMIN" | "TECHNICIAN" | "USER"): NotificationKind[] {
  return NOTIFICATION_KIND_NAMES.filter((k) => role !== "USER" || !NOTIFICATION_KINDS[k].staffOnly);
}
