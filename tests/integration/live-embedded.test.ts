import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIVE_CHANNEL, type LiveChange } from "@/lib/live/events";
import { LiveHub } from "@/lib/live/hub";
import { startEmbeddedPostgres, type EmbeddedDb } from "@/scripts/lib/embedded";

// LISTEN/NOTIFY on the embedded database (PGlite: ONE session lent to one connection at a time).
// PGlite hands a notification to whichever exchange committed it; scripts/lib/pglite-server.ts
// routes it to the connections that ran LISTEN (docs/decisions/028-live-updates.md). Without
// that routing the listeners here would receive nothing and the writer everything.

const dir = mkdtempSync(join(tmpdir(), "tessera-live-embedded-"));
let server: EmbeddedDb;
const hubs: LiveHub[] = [];

beforeAll(async () => {
  server = await startEmbeddedPostgres({ pgDir: join(dir, "pg"), port: 0 });
}, 120_000);

afterAll(async () => {
  await Promise.all(hubs.map((h) => h.stop()));
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function changes(hub: LiveHub) {
  const got: LiveChange[] = [];
  let wake: (() => void) | undefined;
  hub.subscribe({
    viewer: { id: "staff", role: "ADMIN" },
    ticketId: null,
    change: (e) => {
      got.push(e);
      wake?.();
    },
    presence: () => {},
    resync: () => {},
    close: () => {},
  });
  return {
    got,
    async until(ticketId: string) {
      while (!got.some((e) => e.ticketId === ticketId)) {
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

const payload = (t: string) => JSON.stringify({ k: "comment", t, n: 1, r: "u", p: true });

describe("live updates on the embedded database", () => {
  it("reaches every listening connection after commit, never after a rollback", async () => {
    const [a, b] = [0, 1].map(() => {
      const hub = new LiveHub({
        connectionString: server.url,
        maxPerUser: 5,
        presenceTtlMs: 30_000,
      });
      hubs.push(hub);
      hub.start();
      return hub;
    });
    await Promise.all([a!.ready(), b!.ready()]);
    const onA = changes(a!);
    const onB = changes(b!);
    const writer = new pg.Client({ connectionString: server.url });
    const writerGot: string[] = [];
    writer.on("notification", (n) => writerGot.push(n.payload ?? ""));
    await writer.connect();
    try {
      await writer.query("BEGIN");
      await writer.query("SELECT pg_notify($1, $2)", [LIVE_CHANNEL, payload("rolled-back")]);
      await writer.query("ROLLBACK");
      await writer.query("BEGIN");
      await writer.query("SELECT pg_notify($1, $2)", [LIVE_CHANNEL, payload("committed")]);
      await writer.query("COMMIT");
      await Promise.all([onA.until("committed"), onB.until("committed")]);
      for (const s of [onA, onB]) {
        expect(s.got.map((e) => e.ticketId)).toEqual(["committed"]);
      }
      // The writer never listened: nothing reached it.
      expect(writerGot).toEqual([]);
    } finally {
      await writer.end();
    }
  });
});
