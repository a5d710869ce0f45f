import "server-only";
// This process's live updates hub (docs/decisions/028-live-updates.md), kept on globalThis: the
// instrumentation hook (which connects it at start) and the routes are bundled separately.
import { env } from "@/lib/env";
import { liveConfig } from "@/lib/live/config";
import { LiveHub } from "@/lib/live/hub";
import { logger } from "@/lib/logger";
import { onShutdown, onShutdownBegin } from "@/lib/shutdown";

const KEY = Symbol.for("tessera.liveHub");

/** This process's hub, created and connected on first use. */
export function liveHub(): LiveHub {
  const g = globalThis as unknown as Record<symbol, LiveHub | undefined>;
  let hub = g[KEY];
  if (!hub) {
    const config = liveConfig();
    hub = new LiveHub({
      // LISTEN needs a session of its own: behind a transaction-pooling PgBouncer, point this
      // at PostgreSQL directly.
      connectionString: process.env.TESSERA_LIVE_DATABASE_URL || env().DATABASE_URL,
      maxPerUser: config.maxPerUser,
      presenceTtlMs: config.presenceTtlMs,
      log: (level, message) => logger[level]({ event: "live" }, message),
    });
    g[KEY] = hub;
    const created = hub;
    onShutdownBegin(() => created.closeAll());
    onShutdown("live updates listener", () => created.stop());
  }
  hub.start();
  return hub;
}
