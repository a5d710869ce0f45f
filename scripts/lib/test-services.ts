import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { freePort } from "./ports";
import { startSmtpSink, type SmtpSink } from "./smtp-sink";
import { exited, prefixStderr, repoRoot, stopChild } from "./proc";

// The real servers the attachment and email tests talk to (issues 13, 14), on free loopback
// ports, their data under tmpDir: s3rver (an S3 implementation, a devDependency, so always),
// clamd (only when ClamAV is installed: /usr/sbin/clamd) and an SMTP server (scripts/lib/
// smtp-sink.ts, in this process). Used by `npm test` (scripts/test.ts) and by
// scripts/attachment-services.ts for local development. Never touches the system's ClamAV
// configuration or signatures: clamd runs with its own config and an EICAR-only database.

export const CLAMD = "/usr/sbin/clamd";
export const TEST_S3_BUCKET = "tessera-test";
/** s3rver's fixed credentials. */
export const S3RVER_KEY = "S3RVER";

export type TestServices = {
  /**
   * TESSERA_TEST_S3_ENDPOINT, TESSERA_TEST_S3_BUCKET, (with ClamAV) TESSERA_TEST_CLAMAV_URL, and
   * TESSERA_TEST_SMTP_URL with TESSERA_TEST_SMTP_DIR (where the received mail is written).
   */
  env: Record<string, string>;
  /** Stops both servers (safe to call twice, and after they died). */
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
