import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";

// A real SMTP server for the email tests (issue 14): the `smtp-server` package (nodemailer's
// server side), on a free loopback port, writing every accepted message as a raw .eml file to
// `dir`, where tests read and parse it. Recipients that test the failure paths:
//   reject-*@...    550 at RCPT TO (permanent: the mail is given up at once)
//   tempfail-*@...  451 at RCPT TO (transient: tried again with backoff)
// No TLS and no authentication: loopback only.

export type SmtpSink = { url: string; dir: string; stop(): Promise<void> };

export async function startSmtpSink(dir: string): Promise<SmtpSink> {
  mkdirSync(dir, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    size: 50 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      const local = address.address.split("@")[0] ?? "";
      if (local.startsWith("reject-")) {
        return callback(Object.assign(new Error("5.1.1 No such user"), { responseCode: 550 }));
      }
      if (local.startsWith("tempfail-")) {
        return callback(Object.assign(new Error("4.3.0 Try again later"), { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const rcpt = session.envelope.rcptTo.map((r) => r.address).join(",");
        const name = `${Date.now()}-${process.pid}-${++count}.eml`;
        // The envelope recipients first (like a Delivered-To header), then the message.
        writeFileSync(
          join(dir, name),
          Buffer.concat([Buffer.from(`X-Test-Rcpt: ${rcpt}\r\n`), ...chunks]),
        );
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    dir,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
