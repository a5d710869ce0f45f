import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { dirname, join, sep } from "node:path";
import { freePort } from "./ports";
import { startSmtpSink, type SmtpSink } from "./smtp-sink";
import { exited, prefixStderr, repoRoot, stopChild } from "./proc";

// The real servers the attachment and email tests talk to (issues 13, 14), on free loopback
// ports, their data under tmpDir: s3rver (an S3 implementation, a devDependency, so always),
// clamd (only when ClamAV is installed: /usr/sbin/clamd) and an SMTP server (scripts/lib/
// smtp-sink.ts, in this process) and an IMAP server (dovecot, only when dovecot-imapd is
// installed: /usr/sbin/dovecot, with /usr/lib/dovecot/imap). Used by `npm test` (scripts/test.ts) and by
// scripts/attachment-services.ts for local development. Never touches the system's ClamAV
// configuration or signatures: clamd runs with its own config and an EICAR-only database.
// Likewise dovecot runs with its own config file (`dovecot -F -c`), never /etc/dovecot or the
// system service.

export const CLAMD = "/usr/sbin/clamd";
export const TEST_S3_BUCKET = "tessera-test";
/** s3rver's fixed credentials. */
export const S3RVER_KEY = "S3RVER";
export const DOVECOT = "/usr/sbin/dovecot";
const DOVECOT_IMAP = "/usr/lib/dovecot/imap";
/** The test IMAP accounts (dovecot's passwd-file): the help desk mailbox and a second one. */
export const TEST_IMAP_USER = "helpdesk@tessera.test";
export const TEST_IMAP_OTHER_USER = "other@tessera.test";
export const TEST_IMAP_PASSWORD = "imap-test-password";
/** The single sign-on test provider's client (scripts/oidc-test-provider.ts). */
export const TEST_OIDC_CLIENT_ID = "tessera";
export const TEST_OIDC_CLIENT_SECRET = "tessera-oidc-test-secret";

export type TestServices = {
  /**
   * TESSERA_TEST_S3_ENDPOINT, TESSERA_TEST_S3_BUCKET, (with ClamAV) TESSERA_TEST_CLAMAV_URL, and
   * TESSERA_TEST_SMTP_URL with TESSERA_TEST_SMTP_DIR (where the received mail is written), and
   * (with dovecot) TESSERA_TEST_IMAP_HOST, _PORT, _USER, _PASSWORD, _OTHER_USER, _OTHER_PASSWORD,
   * and the OpenID Connect test provider: TESSERA_TEST_OIDC_ISSUER, _CLIENT_ID, _CLIENT_SECRET.
   */
  env: Record<string, string>;
  /** Stops every server (safe to call twice, and after they died). */
  stop(): Promise<void>;
};

export async function startTestServices(
  tmpDir: string,
  log: (line: string) => void = console.log,
): Promise<TestServices> {
  const children: ChildProcess[] = [];
  let smtp: SmtpSink | undefined;
  // Last resort if the parent exits without calling stop() (an uncaught error): no orphans.
  const killAll = () => children.forEach((c) => c.exitCode === null && c.kill("SIGTERM"));
  process.once("exit", killAll);
  const stop = async () => {
    process.off("exit", killAll);
    await Promise.all([...children.map((c) => stopChild(c, 5_000)), smtp?.stop()]);
  };
  try {
    const env: Record<string, string> = {};
    const s3 = await startS3rver(join(tmpDir, "s3rver"));
    children.push(s3.child);
    env.TESSERA_TEST_S3_ENDPOINT = s3.endpoint;
    env.TESSERA_TEST_S3_BUCKET = TEST_S3_BUCKET;
    log(`s3rver on ${s3.endpoint} (bucket ${TEST_S3_BUCKET})`);
    if (existsSync(CLAMD)) {
      const clam = await startClamd(join(tmpDir, "clamav"));
      children.push(clam.child);
      env.TESSERA_TEST_CLAMAV_URL = clam.url;
      log(`clamd on ${clam.url}`);
    } else {
      log(
        `No ${CLAMD}: the ClamAV tests will be skipped (install it with ` +
          "`apt-get install clamav-daemon clamdscan clamav-testfiles`).",
      );
    }
    smtp = await startSmtpSink(join(tmpDir, "smtp"));
    env.TESSERA_TEST_SMTP_URL = smtp.url;
    env.TESSERA_TEST_SMTP_DIR = smtp.dir;
    log(`SMTP server on ${smtp.url} (mail written to ${smtp.dir})`);
    if (existsSync(DOVECOT) && existsSync(DOVECOT_IMAP)) {
      const imap = await startDovecot(join(tmpDir, "dovecot"));
      children.push(imap.child);
      env.TESSERA_TEST_IMAP_HOST = "127.0.0.1";
      env.TESSERA_TEST_IMAP_PORT = String(imap.port);
      env.TESSERA_TEST_IMAP_USER = TEST_IMAP_USER;
      env.TESSERA_TEST_IMAP_PASSWORD = TEST_IMAP_PASSWORD;
      env.TESSERA_TEST_IMAP_OTHER_USER = TEST_IMAP_OTHER_USER;
      env.TESSERA_TEST_IMAP_OTHER_PASSWORD = TEST_IMAP_PASSWORD;
      log(`IMAP server (dovecot) on 127.0.0.1:${imap.port} (user ${TEST_IMAP_USER})`);
    } else {
      log(
        `No ${DOVECOT}: the IMAP tests will be skipped (install it with ` +
          "`apt-get install dovecot-imapd`).",
      );
    }
    const oidc = await startOidcProvider();
    children.push(oidc.child);
    env.TESSERA_TEST_OIDC_ISSUER = oidc.issuer;
    env.TESSERA_TEST_OIDC_CLIENT_ID = TEST_OIDC_CLIENT_ID;
    env.TESSERA_TEST_OIDC_CLIENT_SECRET = TEST_OIDC_CLIENT_SECRET;
    log(`OpenID Connect test provider on ${oidc.issuer} (client ${TEST_OIDC_CLIENT_ID})`);
    return { env, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function startS3rver(dir: string): Promise<{ child: ChildProcess; endpoint: string }> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const bin = join(repoRoot, "node_modules/s3rver/bin/s3rver.js");
  // Without the legacy OpenSSL provider, s3rver answers paged object listings with a 500.
  const child = spawn(
    process.execPath,
    [
      "--openssl-legacy-provider",
      bin,
      ...["-d", dir, "-a", "127.0.0.1", "-p", String(port), "--silent"],
      ...["--configure-bucket", TEST_S3_BUCKET],
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  prefixStderr(child, "[s3rver] ");
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntil(child, "s3rver", async () => {
    // Ready once the configured bucket answers (an anonymous HEAD is allowed by s3rver).
    const res = await fetch(`${endpoint}/${TEST_S3_BUCKET}`, { method: "HEAD" });
    return res.status === 200;
  });
  return { child, endpoint };
}

/** scripts/oidc-test-provider.ts, a process of its own (oidc-provider, a devDependency). */
async function startOidcProvider(): Promise<{ child: ChildProcess; issuer: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(repoRoot, "scripts/oidc-test-provider.ts")],
    {
      stdio: ["ignore", "ignore", "pipe"],
      env: {
        ...process.env,
        OIDC_PORT: String(port),
        OIDC_CLIENT_ID: TEST_OIDC_CLIENT_ID,
        OIDC_CLIENT_SECRET: TEST_OIDC_CLIENT_SECRET,
      },
    },
  );
  prefixStderr(child, "[oidc] ");
  const issuer = `http://127.0.0.1:${port}`;
  await waitUntil(child, "the OpenID Connect test provider", async () => {
    const res = await fetch(`${issuer}/.well-known/openid-configuration`);
    return res.status === 200;
  });
  return { child, issuer };
}

// EICAR (https://www.eicar.org/download-anti-malware-testfile/): by MD5 of the 68-byte file and
// by the marker string anywhere in a file, so it is also found inside an archive.
const EICAR_HDB = "44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature\n";
const EICAR_NDB = `Eicar-Test-Signature-ndb:0:*:${Buffer.from("EICAR-STANDARD-ANTIVIRUS-TEST-FILE").toString("hex")}\n`;

async function startClamd(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const db = join(dir, "db");
  mkdirSync(db, { recursive: true });
  writeFileSync(join(db, "eicar.hdb"), EICAR_HDB);
  writeFileSync(join(db, "eicar.ndb"), EICAR_NDB);
  const port = await freePort();
  const conf = join(dir, "clamd.conf");
  writeFileSync(
    conf,
    [
      "Foreground yes",
      `TCPSocket ${port}`,
      "TCPAddr 127.0.0.1",
      `DatabaseDirectory ${db}`,
      `PidFile ${join(dir, "clamd.pid")}`,
      `LogFile ${join(dir, "clamd.log")}`,
      `TemporaryDirectory ${dir}`,
      "StreamMaxLength 50M",
      "MaxFileSize 50M",
      "MaxScanSize 100M",
      // No periodic database check: a reload blocks scanning for seconds.
      "SelfCheck 0",
      "",
    ].join("\n"),
  );
  const child = spawn(CLAMD, ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
  prefixStderr(child, "[clamd] ");
  await waitUntil(child, "clamd", () => clamdPing(port));
  return { child, url: `tcp://127.0.0.1:${port}` };
}

function clamdPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let reply = "";
    socket.setTimeout(1_000, () => socket.destroy());
    socket.on("connect", () => socket.write("zPING\0"));
    socket.on("data", (d) => (reply += d.toString()));
    socket.on("error", () => {});
    socket.on("close", () => resolve(reply.startsWith("PONG")));
  });
}

/**
 * dovecot with its own config under `dir`: IMAP only, on 127.0.0.1 and a free port, no TLS,
 * plaintext logins allowed, fixed accounts in a passwd-file, maildir storage, and its base_dir
 * (sockets, pid), state_dir and log file under `dir` too. Run as root (the CI container),
 * dovecot refuses uid 0 for mail processes, so mail is stored as nobody:nogroup (the maildir root
 * is chowned to it); its login processes use the package's dovenull user as usual. Run as
 * another user, every process runs as that user.
 */
async function startDovecot(dir: string): Promise<{ child: ChildProcess; port: number }> {
  const mailDir = join(dir, "mail");
  const stateDir = join(dir, "state");
  mkdirSync(mailDir, { recursive: true });
  mkdirSync(stateDir, { recursive: true });
  const root = process.getuid?.() === 0;
  if (root) {
    // The mail processes (nobody) must reach mailDir, but mkdtemp made tmpDir 0700: let others
    // traverse (not list) the folders between the system temp folder and mailDir.
    for (let d = dir; d.startsWith(tmpdir() + sep); d = dirname(d)) {
      chmodSync(d, statSync(d).mode | 0o001);
    }
    chownSync(mailDir, NOBODY, NOGROUP);
  }
  const passwd = join(dir, "passwd");
  writeFileSync(
    passwd,
    [TEST_IMAP_USER, TEST_IMAP_OTHER_USER]
      .map((u) => `${u}:{PLAIN}${TEST_IMAP_PASSWORD}\n`)
      .join(""),
    // Read by dovecot's auth process (user dovecot); fixed test passwords, nothing secret.
    { mode: 0o644 },
  );
  const port = await freePort();
  const user = userInfo().username;
  const conf = join(dir, "dovecot.conf");
  writeFileSync(
    conf,
    [
      "protocols = imap",
      "listen = 127.0.0.1",
      `base_dir = ${join(dir, "run")}`,
      `state_dir = ${stateDir}`,
      `log_path = ${join(dir, "dovecot.log")}`,
      `instance_name = tessera-test-${port}`,
      "ssl = no",
      "disable_plaintext_auth = no",
      "auth_mechanisms = plain login",
      "mail_location = maildir:~/Maildir",
      // Test data: no fsync per message (appending and flagging stay fast on a shared disk).
      "mail_fsync = never",
      ...(root
        ? [
            `mail_uid = ${NOBODY}`,
            `mail_gid = ${NOGROUP}`,
            `first_valid_uid = ${NOBODY}`,
            `last_valid_uid = ${NOBODY}`,
            `first_valid_gid = ${NOGROUP}`,
            `last_valid_gid = ${NOGROUP}`,
          ]
        : [
            // Unprivileged: dovecot cannot switch users, so every process is this user.
            `default_login_user = ${user}`,
            `default_internal_user = ${user}`,
            `default_internal_group = ${execFileSync("id", ["-gn"], { encoding: "utf8" }).trim()}`,
            `first_valid_uid = ${process.getuid?.() ?? 1}`,
          ]),
      "passdb {",
      "  driver = passwd-file",
      `  args = scheme=PLAIN username_format=%u ${passwd}`,
      "}",
      "userdb {",
      "  driver = static",
      `  args = home=${mailDir}/%d/%n`,
      "}",
      "service imap-login {",
      ...(root ? [] : ["  chroot ="]),
      "  inet_listener imap {",
      "    address = 127.0.0.1",
      `    port = ${port}`,
      "  }",
      "  inet_listener imaps {",
      "    port = 0",
      "  }",
      "}",
      ...(root ? [] : ["service anvil {", "  chroot =", "}"]),
      "",
    ].join("\n"),
  );
  // -F: stay in the foreground (a child we can stop); it logs to log_path, so stderr shows only
  // start-up errors (a bad config).
  const child = spawn(DOVECOT, ["-F", "-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
  prefixStderr(child, "[dovecot] ");
  await waitUntil(child, "dovecot", () => imapLogin(port));
  return { child, port };
}

const NOBODY = 65534;
const NOGROUP = 65534;

/** True once the server greets (`* OK`) and a test account can log in (so a config error in
 * the accounts shows here, at start-up, and not as failing tests). */
function imapLogin(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let reply = "";
    let sent = false;
    socket.setTimeout(5_000, () => socket.destroy());
    socket.on("data", (d) => {
      reply += d.toString();
      if (!sent && reply.includes("\r\n")) {
        sent = true;
        socket.write(`a LOGIN "${TEST_IMAP_USER}" "${TEST_IMAP_PASSWORD}"\r\nz LOGOUT\r\n`);
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => resolve(reply.startsWith("* OK") && /\r\na OK/.test(reply)));
  });
}

/** Polls ready() every 100 ms; fails if the child exits or 30 s pass. */
async function waitUntil(
  child: ChildProcess,
  name: string,
  ready: () => Promise<boolean>,
): Promise<void> {
  let gone = false;
  void exited(child).then(() => (gone = true));
  const deadline = Date.now() + 30_000;
  while (!gone && Date.now() < deadline) {
    if (await ready().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!gone) await stopChild(child, 2_000);
  throw new Error(`${name} did not start${gone ? " (it exited)" : " within 30 s"}`);
}
