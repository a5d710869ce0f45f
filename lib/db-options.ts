// Options shared by the app's Prisma client (lib/db.ts) and the one for scripts and tests
// (prisma/client.ts). Plain module: no "server-only", no lib/env (scripts run outside Next).

/** Secret columns of User left out of every query by default. */
export const USER_OMIT = {
  user: { passwordHash: true, mfaSecret: true, mfaPendingSecret: true },
} as const;

/**
 * How long `$transaction` waits to start: for a pooled connection and, on the embedded database
 * (one session, lent to one transaction at a time), for its turn. Prisma's own default of 2 s
 * fails healthy requests behind a short queue there; `DATABASE_TX_MAX_WAIT_MS` overrides.
 */
export function transactionOptions(source: NodeJS.ProcessEnv = process.env) {
  const configured = Number(source.DATABASE_TX_MAX_WAIT_MS);
  const maxWait = Number.isInteger(configured) && configured > 0 ? configured : 10_000;
  return { maxWait };
}
