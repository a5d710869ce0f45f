import "server-only";
// The server side of live updates (docs/decisions/028-live-updates.md): this instance's hub, the
// server-sent events stream of GET /api/live and the presence heartbeat of
// POST /api/live/presence.
import { userFromCookie, type SessionUser } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { liveConfig } from "@/lib/live/config";
import { liveHub } from "@/lib/live/instance";
import {
  mayUsePresence,
  presencePayload,
  PRESENCE_CHANNEL,
  type LiveViewer,
  type PresenceState,
} from "@/lib/live/events";
import type { Subscriber } from "@/lib/live/hub";
import { visibleTo } from "@/lib/tickets/queries";

export { liveHub };

/** Signed in, and not held at the password change or MFA enrollment gate. */
export function mayStream(user: SessionUser | null): user is SessionUser {
  return Boolean(user && !user.mustChangePassword && !user.mfaEnrollmentRequired);
}

export const STREAM_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  // no-transform: compression (ours or a proxy's) would buffer the stream.
  "Cache-Control": "no-cache, no-transform",
  // nginx: do not buffer this response (proxy_buffering stays on for everything else).
  "X-Accel-Buffering": "no",
  "X-Content-Type-Options": "nosniff",
} as const;

/**
 * The server-sent events stream for `user`. Events: `ready`, `change` ({kind, ticketId,
 * number}), `presence` ({ticketId, people}: staff on a ticket page), `resync`, `end`. A comment
 * line every heartbeat; the session is re-checked with the same cookie at each, and a signed-out,
 * deactivated or revoked user's stream ends there. Null when the user has too many streams open.
 */
export function openLiveStream(options: {
  user: SessionUser;
  cookie: string | null;
  ticketId: string | null;
  signal: AbortSignal;
}): Response | null {
  const { cookie, signal } = options;
  const hub = liveHub();
  const encoder = new TextEncoder();
  const heartbeatMs = liveConfig().heartbeatMs;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | null = null;

  const write = (text: string) => {
    if (finished) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      finish();
    }
  };
  const send = (event: string, data: unknown) =>
    write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const finish = () => {
    if (finished) return;
    finished = true;
    clearInterval(timer);
    unsubscribe?.();
    signal.removeEventListener("abort", finish);
    try {
      controller.close();
    } catch {
      // already closed by the client
    }
  };

  const viewer: LiveViewer = { id: options.user.id, role: options.user.role };
  const sub: Subscriber = {
    viewer,
    ticketId: options.ticketId,
    change: (event) => send("change", event),
    presence: (ticketId, people) => send("presence", { ticketId, people }),
    resync: () => send("resync", {}),
    close: finish,
  };
  unsubscribe = hub.subscribe(sub);
  if (!unsubscribe) return null;

  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      // The browser waits this long before reconnecting after a dropped connection.
      write(`retry: 3000\n: connected\n\n`);
      send("ready", {});
      if (sub.ticketId && mayUsePresence(viewer.role)) {
        send("presence", {
          ticketId: sub.ticketId,
          people: hub.presenceFor(sub.ticketId, viewer),
        });
      }
      timer = setInterval(() => void beat(), heartbeatMs);
    },
    cancel: finish,
  });
  signal.addEventListener("abort", finish);

  async function beat() {
    write(": heartbeat\n\n");
    let user: SessionUser | null;
    try {
      user = await userFromCookie(cookie);
    } catch {
      return; // the database is busy or away: keep the stream, ask again next time
    }
    if (!mayStream(user)) {
      send("end", { reason: "unauthenticated" });
      finish();
      return;
    }
    sub.viewer = { id: user.id, role: user.role };
  }

  return new Response(stream, { status: 200, headers: STREAM_HEADERS });
}

/** A staff member's heartbeat on a ticket, passed to every instance (PostgreSQL NOTIFY). */
export async function publishPresence(
  user: SessionUser,
  ticketId: string,
  state: PresenceState,
): Promise<void> {
  const payload = presencePayload({ ticketId, userId: user.id, name: user.name, state });
  await db.$executeRaw`SELECT pg_notify(${PRESENCE_CHANNEL}, ${payload})`;
}

/** The ticket exists and `user` may read it (the same scope as every ticket read). */
export async function ticketVisible(user: SessionUser, ticketId: string): Promise<boolean> {
  const ticket = await db.ticket.findFirst({
    where: { AND: [{ id: ticketId }, visibleTo(user)] },
    select: { id: true },
  });
  return ticket !== null;
}
