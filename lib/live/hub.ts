// The live updates hub of one app instance (docs/decisions/028-live-updates.md): ONE dedicated
// PostgreSQL connection LISTENs on the live and presence channels (reconnecting with backoff),
// and every open stream of this instance is a subscriber. Changes reach every instance because
// every instance listens; presence is kept per instance from the heartbeats all of them receive,
// and expires on its own. Script-safe (no "server-only"): the integration tests run two hubs.
import pg from "pg";
import {
  changeFor,
  LIVE_CHANNEL,
  mayUsePresence,
  parseChange,
  parsePresence,
  PRESENCE_CHANNEL,
  type LiveChange,
  type LiveViewer,
  type PresencePerson,
} from "@/lib/live/events";

export type Subscriber = {
  /** Re-read every heartbeat by the stream (a demoted user is scoped by the new role). */
  viewer: LiveViewer;
  /** The ticket page this stream belongs to (presence), or null (a queue). */
  ticketId: string | null;
  change(event: LiveChange): void;
  presence(ticketId: string, people: PresencePerson[]): void;
  /** The events may have been missed (the listener reconnected): refresh everything. */
  resync(): void;
  /** Ends the stream (shutdown). */
  close(): void;
};

export type HubOptions = {
  connectionString: string;
  /** Streams one user may have open on this instance. */
  maxPerUser: number;
  /** A presence without a heartbeat for this long is gone. */
  presenceTtlMs: number;
  log?: (level: "info" | "warn" | "error", message: string) => void;
  now?: () => number;
};

type Presence = { name: string; state: "viewing" | "replying"; expiresAt: number };

export class LiveHub {
  private readonly subs = new Set<Subscriber>();
  private readonly perUser = new Map<string, number>();
  private readonly presence = new Map<string, Map<string, Presence>>();
  private client: pg.Client | null = null;
  private started = false;
  private stopped = false;
  private failures = 0;
  private everConnected = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private listening = false;
  private readyWaiters: (() => void)[] = [];

  constructor(private readonly opts: HubOptions) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** Connects the listener (once; later calls do nothing). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.sweepTimer = setInterval(() => this.sweep(), 5_000);
    this.sweepTimer.unref();
    void this.connect();
  }

  /** Resolves once the listener is LISTENing (tests; a stream does not wait for it). */
  ready(): Promise<void> {
    if (this.listening) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Adds a stream; null when its user already has `maxPerUser` open here. */
  subscribe(sub: Subscriber): (() => void) | null {
    const userId = sub.viewer.id;
    const count = this.perUser.get(userId) ?? 0;
    if (count >= this.opts.maxPerUser) return null;
    this.perUser.set(userId, count + 1);
    this.subs.add(sub);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.subs.delete(sub);
      const left = (this.perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.perUser.set(userId, left);
      else this.perUser.delete(userId);
    };
  }

  get size(): number {
    return this.subs.size;
  }

  /** The other staff on a ticket, as `viewer` may see them (nobody for a requester). */
  presenceFor(ticketId: string, viewer: LiveViewer): PresencePerson[] {
    if (!mayUsePresence(viewer.role)) return [];
    const now = this.now();
    const people: PresencePerson[] = [];
    for (const [userId, p] of this.presence.get(ticketId) ?? []) {
      if (userId !== viewer.id && p.expiresAt > now)
        people.push({ userId, name: p.name, state: p.state });
    }
    return people;
  }

  /** Ends every stream (the shutdown begins: they must not hold up the drain). */
  closeAll(): void {
    for (const sub of [...this.subs]) sub.close();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.sweepTimer);
    this.closeAll();
    const client = this.client;
    this.client = null;
    this.listening = false;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.opts.connectionString,
      application_name: "tessera-live",
      keepAlive: true,
    });
    this.client = client;
    let lost = false;
    const onLost = (why: string) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = null;
      this.listening = false;
      client.end().catch(() => {});
      if (!this.stopped) this.scheduleReconnect(why);
    };
    client.on("error", (err) => onLost(err.message));
    client.on("end", () => onLost("connection ended"));
    client.on("notification", (msg) => this.onNotification(msg.channel, msg.payload ?? ""));
    try {
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}; LISTEN ${PRESENCE_CHANNEL}`);
    } catch (err) {
      onLost((err as Error).message);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => {});
      return;
    }
    this.failures = 0;
    this.listening = true;
    for (const resolve of this.readyWaiters.splice(0)) resolve();
    if (!this.everConnected) this.opts.log?.("info", "live updates: listening");
    if (this.everConnected) {
      this.opts.log?.("info", "live updates: listener reconnected");
      // Whatever was committed while nobody listened: every open page refreshes once.
      for (const sub of this.subs) sub.resync();
    }
    this.everConnected = true;
  }

  private scheduleReconnect(why: string): void {
    this.failures += 1;
    // 0.5 s, 1 s, 2 s … up to 30 s, with jitter so that instances do not reconnect in step.
    const base = Math.min(30_000, 500 * 2 ** Math.min(this.failures - 1, 6));
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    this.opts.log?.(
      this.failures > 3 ? "error" : "warn",
      `live updates: listener lost (${why}); reconnecting in ${delay} ms`,
    );
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
    this.reconnectTimer.unref();
  }

  /** Public for the tests of the scoping; the listener calls it for every notification. */
  onNotification(channel: string, payload: string): void {
    if (channel === LIVE_CHANNEL) {
      const change = parseChange(payload);
      if (!change) return;
      for (const sub of this.subs) {
        const event = changeFor(sub.viewer, change);
        if (event) sub.change(event);
      }
    } else if (channel === PRESENCE_CHANNEL) {
      const p = parsePresence(payload);
      if (!p) return;
      let people = this.presence.get(p.ticketId);
      if (p.state === "left") {
        if (!people?.delete(p.userId)) return;
        if (people.size === 0) this.presence.delete(p.ticketId);
      } else {
        if (!people) this.presence.set(p.ticketId, (people = new Map()));
        const before = people.get(p.userId);
        people.set(p.userId, {
          name: p.name,
          state: p.state,
          expiresAt: this.now() + this.opts.presenceTtlMs,
        });
        // A repeated heartbeat only extends the time: nothing to tell anyone.
        if (before && before.state === p.state && before.expiresAt > this.now()) return;
      }
      this.announce(p.ticketId);
    }
  }

  private announce(ticketId: string): void {
    for (const sub of this.subs) {
      if (sub.ticketId !== ticketId || !mayUsePresence(sub.viewer.role)) continue;
      sub.presence(ticketId, this.presenceFor(ticketId, sub.viewer));
    }
  }

  /** Drops expired presence and tells the pages concerned. */
  sweep(): void {
    const now = this.now();
    for (const [ticketId, people] of this.presence) {
      let changed = false;
      for (const [userId, p] of people) {
        if (p.expiresAt <= now) {
          people.delete(userId);
          changed = true;
        }
      }
      if (people.size === 0) this.presence.delete(ticketId);
      if (changed) this.announce(ticketId);
    }
  }
}
