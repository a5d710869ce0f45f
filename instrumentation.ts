import type { Instrumentation } from "next";

// Next.js calls register() once when a server process starts. On the Node.js runtime it starts
// the security-event delivery loop (lib/outbox/runtime.ts) when TESSERA_SIEM_URL or
// TESSERA_SLACK_WEBHOOK_URL is set (why in-process: docs/decisions/010-security-events.md), and
// upgrades legacy recovery-code hashes (lib/auth/mfa/recovery-upgrade.ts) and connects the live
// updates listener (lib/live).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // `next build` may load this file while prerendering: no background work there.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const [{ startSecurityOutbox }, { securityJobs }, { db }, { onShutdown }] = await Promise.all([
    import("@/lib/outbox/runtime"),
    import("@/lib/security/jobs"),
    import("@/lib/db"),
    import("@/lib/shutdown"),
  ]);
  // Graceful shutdown (scripts/server.ts): hooks run newest first, so the pool closes last.
  onShutdown("database pool", () => db.$disconnect());
  // One loop delivers security events and runs the security jobs (refusal summaries, anomaly
  // rules): no second job mechanism.
  startSecurityOutbox(securityJobs(db));
  // Live updates (ADR 028): the instance's LISTEN connection, up before the first page opens a
  // stream (a change or heartbeat committed before it listens would be missed).
  // Its own module: lib/live/server.ts imports the guards (React's server-only `cache`), which
  // cannot load here.
  try {
    const { liveHub } = await import("@/lib/live/instance");
    liveHub();
  } catch (err) {
    const { logger } = await import("@/lib/logger");
    logger.error({ err, event: "live" }, "live updates: the listener did not start");
  }
  // Recovery codes stored by earlier versions as a bare sha256 get their keyed hash.
  const { upgradeRecoveryCodeHashesAtStart } = await import("@/lib/auth/mfa/recovery-upgrade");
  void upgradeRecoveryCodeHashesAtStart();
}

// A server error that reached an error page: one log line with the digest the page shows as its
// reference and the request id (lib/request-errors.ts). The edge middleware's own errors are
// left to Next.js's default logging (pino does not run on the edge).
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ logger }, { reportRequestError }] = await Promise.all([
    import("@/lib/logger"),
    import("@/lib/request-errors"),
  ]);
  reportRequestError(logger, error, request, context);
};
