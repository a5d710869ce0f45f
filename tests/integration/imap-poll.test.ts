import { createServer, type Server, type Socket } from "node:net";
import { beforeEach, describe, expect, it } from "vitest";
import {
  MailboxPollError,
  pollMailbox,
  TOO_LARGE_KEYWORD,
  type MessageMeta,
  type PollOptions,
} from "@/lib/email/inbound/poll";
import {
  appendMessage,
  clearMailbox,
  imapAccount,
  listFolder,
  testMessage,
} from "@/tests/support/imap";

// Issue 14 §3: the mailbox poller against a real IMAP server (dovecot, started by `npm test`
// when dovecot-imapd is installed; scripts/lib/test-services.ts).
const IMAP_HOST = process.env.TESSERA_TEST_IMAP_HOST;

describe.skipIf(!IMAP_HOST)(
  "pollMailbox against dovecot (skipped: TESSERA_TEST_IMAP_HOST is not set)",
  () => {
    function options(overrides: Partial<PollOptions> = {}): PollOptions {
      const account = imapAccount();
      return {
        host: account.host,
        port: account.port,
        secure: false,
        user: account.user,
        password: account.password,
        folder: "INBOX",
        processed: { action: "seen" },
        timeoutMs: 15_000,
        ...overrides,
      };
    }

    /** A handler that records what it got and answers `answer`. */
    function recorder(answer: (meta: MessageMeta) => "done" | "retry" = () => "done") {
      const calls: { raw: string; meta: MessageMeta }[] = [];
      const handle = async (raw: Buffer, meta: MessageMeta) => {
        calls.push({ raw: raw.toString("utf8"), meta });
        return answer(meta);
      };
      return { calls, handle };
    }

    async function appendThree(): Promise<{ raws: string[]; uids: number[] }> {
      const raws = [1, 2, 3].map((n) => testMessage(n));
      const uids: number[] = [];
      for (const raw of raws) uids.push(await appendMessage(raw));
      return { raws, uids };
    }

    // Every test starts from an empty mailbox and the last one leaves it empty.
    beforeEach(async () => {
      await clearMailbox();
    });

    it('"seen": hands over each unseen message once, flags it \\Seen, then finds nothing', async () => {
      const { raws, uids } = await appendThree();
      const first = recorder();
      const result = await pollMailbox(options(), first.handle);
      expect(result).toEqual({ fetched: 3, done: 3, retried: 0, skippedTooLarge: 0, tooLarge: [] });
      expect(first.calls.map((c) => c.meta.uid)).toEqual(uids);
      // The exact bytes appended (IMAP keeps CRLF), with the UID, UIDVALIDITY and folder.
      expect(first.calls.map((c) => c.raw)).toEqual(raws);
      for (const { meta } of first.calls) {
        expect(meta.folder).toBe("INBOX");
        expect(typeof meta.uidValidity).toBe("bigint");
        expect(meta.uidValidity > 0n).toBe(true);
        expect(meta.size).toBeGreaterThan(100);
      }
      const inbox = await listFolder("INBOX");
      expect(inbox.map((m) => m.uid)).toEqual(uids);
      for (const m of inbox) expect(m.flags).toContain("\\Seen");

      const second = recorder();
      const again = await pollMailbox(options(), second.handle);
      expect(again.fetched).toBe(0);
      expect(second.calls).toHaveLength(0);
    });

    it('never marks a message \\Seen by downloading it (only after "done")', async () => {
      await appendMessage(testMessage("peek"));
      const { handle } = recorder(() => "retry");
      await pollMailbox(options(), handle);
      const [m] = await listFolder("INBOX");
      expect(m?.flags).not.toContain("\\Seen");
    });

    it('"move": moves handled mail to a folder it creates on demand', async () => {
      const { raws } = await appendThree();
      expect(await listFolder("Processed")).toEqual([]); // does not exist yet
      const { calls, handle } = recorder();
      const result = await pollMailbox(
        options({ processed: { action: "move", folder: "Processed" } }),
        handle,
      );
      expect(result.done).toBe(3);
      expect(calls).toHaveLength(3);
      expect(await listFolder("INBOX")).toEqual([]);
      const moved = await listFolder("Processed");
      expect(moved).toHaveLength(3);
      expect(moved.map((m) => m.size)).toEqual(raws.map((r) => Buffer.byteLength(r)));

      // The folder exists now: a second round moves into it as well.
      await appendMessage(testMessage(4));
      const next = recorder();
      await pollMailbox(
        options({ processed: { action: "move", folder: "Processed" } }),
        next.handle,
      );
      expect(next.calls).toHaveLength(1);
      expect(await listFolder("Processed")).toHaveLength(4);
      expect(await listFolder("INBOX")).toEqual([]);
    });

    it('"move" and "delete" hand over seen messages too (a person may have opened them)', async () => {
      const uid = await appendMessage(testMessage("read"));
      await pollMailbox(options(), async () => "retry");
      // Mark it \Seen as a mail client would.
      await pollMailbox(options(), async () => "done");
      expect((await listFolder("INBOX"))[0]).toMatchObject({ uid, flags: ["\\Seen"] });
      const { calls, handle } = recorder();
      await pollMailbox(options({ processed: { action: "delete" } }), handle);
      expect(calls.map((c) => c.meta.uid)).toEqual([uid]);
    });

    it('"delete": expunges handled mail, leaving INBOX empty', async () => {
      await appendThree();
      const { calls, handle } = recorder();
      const result = await pollMailbox(options({ processed: { action: "delete" } }), handle);
      expect(result.done).toBe(3);
      expect(calls).toHaveLength(3);
      expect(await listFolder("INBOX")).toEqual([]);
      const again = await pollMailbox(options({ processed: { action: "delete" } }), handle);
      expect(again.fetched).toBe(0);
    });

    it('"retry" leaves the message for the next poll, which hands it over again', async () => {
      const { uids } = await appendThree();
      const retryUid = uids[1];
      const first = recorder((meta) => (meta.uid === retryUid ? "retry" : "done"));
      const result = await pollMailbox(
        options({ processed: { action: "move", folder: "Processed" } }),
        first.handle,
      );
      expect(result).toMatchObject({ fetched: 3, done: 2, retried: 1 });
      expect((await listFolder("INBOX")).map((m) => m.uid)).toEqual([retryUid]);

      const second = recorder();
      const next = await pollMailbox(
        options({ processed: { action: "move", folder: "Processed" } }),
        second.handle,
      );
      expect(next).toMatchObject({ fetched: 1, done: 1, retried: 0 });
      expect(second.calls.map((c) => c.meta.uid)).toEqual([retryUid]);
      expect(await listFolder("INBOX")).toEqual([]);
      expect(await listFolder("Processed")).toHaveLength(3);
    });

    it("a handler that throws aborts the poll and leaves that message (and later ones)", async () => {
      const { uids } = await appendThree();
      const err = new Error("handler bug");
      const seen: number[] = [];
      await expect(
        pollMailbox(options(), async (_raw, meta) => {
          seen.push(meta.uid);
          if (meta.uid === uids[1]) throw err;
          return "done";
        }),
      ).rejects.toBe(err);
      expect(seen).toEqual(uids.slice(0, 2));
      const flags = (await listFolder("INBOX")).map((m) => m.flags.includes("\\Seen"));
      expect(flags).toEqual([true, false, false]);
    });

    it("skips a message above maxBytes without downloading it, reports it once", async () => {
      const small = await appendMessage(testMessage("small"));
      const big = await appendMessage(testMessage("big", { padding: 60_000 }));
      const { calls, handle } = recorder();
      const result = await pollMailbox(
        options({ maxBytes: 50_000, processed: { action: "move", folder: "Processed" } }),
        handle,
      );
      expect(result).toMatchObject({ fetched: 1, done: 1, skippedTooLarge: 1 });
      expect(result.tooLarge).toHaveLength(1);
      expect(result.tooLarge[0]?.uid).toBe(big);
      expect(result.tooLarge[0]?.size).toBeGreaterThan(60_000);
      expect(calls.map((c) => c.meta.uid)).toEqual([small]);
      // Left in INBOX, unseen, flagged for a person and marked so no poll looks at it again.
      const inbox = await listFolder("INBOX");
      expect(inbox.map((m) => m.uid)).toEqual([big]);
      expect(inbox[0]?.flags).toEqual(["\\Flagged", TOO_LARGE_KEYWORD].sort());

      for (const processed of [
        { action: "seen" },
        { action: "move", folder: "Processed" },
        { action: "delete" },
      ] as const) {
        const again = recorder();
        const next = await pollMailbox(options({ maxBytes: 50_000, processed }), again.handle);
        expect(next).toEqual({ fetched: 0, done: 0, retried: 0, skippedTooLarge: 0, tooLarge: [] });
        expect(again.calls).toHaveLength(0);
      }
      // With a larger limit it still is not taken again until the keyword is removed.
      const raised = await pollMailbox(options({ maxBytes: 1_000_000 }), handle);
      expect(raised.fetched).toBe(0);
      expect((await listFolder("INBOX")).map((m) => m.uid)).toContain(big);
    });

    it("maxMessages bounds one poll, oldest first; the next poll takes the rest", async () => {
      const { uids } = await appendThree();
      const first = recorder();
      expect((await pollMailbox(options({ maxMessages: 2 }), first.handle)).done).toBe(2);
      expect(first.calls.map((c) => c.meta.uid)).toEqual(uids.slice(0, 2));
      const second = recorder();
      expect((await pollMailbox(options({ maxMessages: 2 }), second.handle)).done).toBe(1);
      expect(second.calls.map((c) => c.meta.uid)).toEqual([uids[2]]);
    });

    it("a missing folder is a clear error", async () => {
      await expect(
        pollMailbox(options({ folder: "Nope" }), async () => "done"),
      ).rejects.toMatchObject({
        name: "MailboxPollError",
        kind: "mailbox",
      });
    });

    it("a refused connection and a server that never answers end in an error, not a hang", async () => {
      const sockets: Socket[] = [];
      const silent: Server = createServer((s) => void sockets.push(s)); // accepts, never greets
      await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
      const port = (silent.address() as { port: number }).port;
      try {
        const started = Date.now();
        await expect(
          pollMailbox(options({ port, timeoutMs: 1_500 }), async () => "done"),
        ).rejects.toBeInstanceOf(MailboxPollError);
        expect(Date.now() - started).toBeLessThan(5_000);
      } finally {
        sockets.forEach((s) => s.destroy());
        await new Promise((r) => silent.close(r));
      }
      await expect(
        pollMailbox(options({ port, timeoutMs: 5_000 }), async () => "done"),
      ).rejects.toMatchObject({ kind: "connection" });
    });

    it("two pollers at once: every message handled, duplicates only absorbed by the handler", async () => {
      const count = 6;
      const uids: number[] = [];
      for (let n = 0; n < count; n++) uids.push(await appendMessage(testMessage(`c${n}`)));
      // The handler's dedupe, as process.ts does it in PostgreSQL: a uid seen before is "done"
      // without doing anything again.
      const handled = new Set<number>();
      let duplicates = 0;
      const handle = async (_raw: Buffer, meta: MessageMeta) => {
        if (handled.has(meta.uid)) duplicates++;
        handled.add(meta.uid);
        await new Promise((r) => setTimeout(r, 20));
        return "done" as const;
      };
      const [a, b] = await Promise.all([
        pollMailbox(options(), handle),
        pollMailbox(options(), handle),
      ]);
      expect([...handled].sort((x, y) => x - y)).toEqual(uids);
      expect(a.done + b.done).toBe(count + duplicates);
      // IMAP has no lock another client must respect: both sessions may see a message as unseen
      // before either flags it, so at-most-once across pollers needs the job's advisory lock or
      // the handler's dedupe. The re-check of the flags before each download keeps it rare.
      expect(duplicates).toBeLessThanOrEqual(count);
      for (const m of await listFolder("INBOX")) expect(m.flags).toContain("\\Seen");
      expect((await pollMailbox(options(), handle)).fetched).toBe(0);
    });

    it("polls another account's mailbox independently", async () => {
      const other = imapAccount("other");
      await clearMailbox(other);
      await appendMessage(testMessage("other"), "INBOX", other);
      await appendMessage(testMessage("mine"));
      const { calls, handle } = recorder();
      await pollMailbox(options({ user: other.user, password: other.password }), handle);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.raw).toContain("Test message other");
      expect((await listFolder("INBOX"))[0]?.flags).not.toContain("\\Seen");
      await clearMailbox(other);
    });

    // Last: after a failed login dovecot delays the next logins from the same address a few
    // seconds (its auth penalty), which the other tests need not wait for.
    it("a wrong password fails fast with a clear error", async () => {
      const started = Date.now();
      const err = await pollMailbox(options({ password: "wrong-password" }), async () => "done")
        .then(() => null)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MailboxPollError);
      expect((err as MailboxPollError).kind).toBe("auth");
      expect((err as Error).message).toMatch(/login failed for helpdesk@tessera\.test/);
      expect((err as Error).message).not.toContain("wrong-password");
      // dovecot delays failed logins by 2 s (auth_failure_delay); no hang beyond that.
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  },
);
