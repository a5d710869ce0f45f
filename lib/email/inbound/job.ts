import "server-only";
// The inbound job of the background loop (lib/security/jobs.ts): every few minutes (the
// mailbox setting), read the help desk mailbox over IMAP (poll.ts) and hand each message to
// processInbound. Exactly once: processInbound keys every message in PostgreSQL, so two
// instances polling at the same time, or a crash before the message is flagged, never make a
// second ticket or reply; the mailbox flag or move only saves work.
import { decryptSecret } from "@/lib/auth/mfa/crypto";
import { mfaEncryptionKey } from "@/lib/env";
import { emailConfig } from "@/lib/email/config";
import { pollMailbox } from "@/lib/email/inbound/poll";
import { INBOUND_DEFAULTS, processInbound } from "@/lib/email/inbound/process";
import { inboundMailboxSetting, type InboundMailbox } from "@/lib/email/inbound/settings";
import { logger } from "@/lib/logger";
import { readSetting } from "@/lib/settings/store";

let lastPoll = 0;
let inFlight: Promise<unknown> | null = null;

/** One look at the mailbox now (the admin's "Check now", tests), whatever the interval. */
export async function pollInboundNow(mailbox?: InboundMailbox) {
  const value = mailbox ?? (await readSetting(inboundMailboxSetting)).value;
  if (!value.enabled || !value.secretEncrypted) return null;
  lastPoll = Date.now();
  const secret = decryptSecret(value.secretEncrypted, mfaEncryptionKey());
  const config = {
    mailbox: `${value.user}@${value.host}/${value.folder}`,
    ourAddress: emailConfig().from,
    unknownSenders: value.unknownSenders,
    categoryId: value.categoryId,
    ...INBOUND_DEFAULTS,
  };
  const log = logger.child({ component: "email-inbound", mailbox: config.mailbox });
  return pollMailbox(
    {
      host: value.host,
      port: value.port,
      secure: value.secure,
      user: value.user,
      ...(value.auth === "oauth2" ? { accessToken: secret } : { password: secret }),
      folder: value.folder,
      processed:
        value.processed === "move"
          ? { action: "move", folder: value.processedFolder }
          : { action: value.processed },
    },
    async (raw) => {
      try {
        const result = await processInbound(raw, config);
        log.info({ outcome: result.outcome, ticketId: result.ticketId }, "inbound email");
        return "done";
      } catch (err) {
        // Left in the mailbox and tried again next time; the key makes a retry safe.
        log.error({ err }, "inbound email could not be processed; will retry");
        return "retry";
      }
    },
  );
}

/**
 * The loop's job: starts a poll when the mailbox is on and its interval has passed, and does not
 * wait for it: a slow mailbox (a 25 MB message, a server that stalls up to the poll's timeout)
 * must not hold up the audit sealer, the notifications and the security events of the same loop.
 */
export async function inboundJob(): Promise<unknown> {
  const { value } = await readSetting(inboundMailboxSetting);
  if (!value.enabled || inFlight) return null;
  if (Date.now() - lastPoll < value.everyMinutes * 60_000) return null;
  inFlight = pollInboundNow(value)
    .catch((err: unknown) =>
      logger.error({ err, component: "email-inbound" }, "reading the mailbox failed"),
    )
    .finally(() => {
      inFlight = null;
    });
  return null;
}
