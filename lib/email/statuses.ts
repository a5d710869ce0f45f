/** EmailMessage.status values (prisma/schema.prisma), for filters on the client and server. */
export const EMAIL_STATUSES = ["QUEUED", "SENT", "KEPT", "FAILED"] as const;
