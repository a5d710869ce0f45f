import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { REDACT_PATHS } from "@/lib/logger";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = pino({ redact: { paths: REDACT_PATHS, censor: "[redacted]" } }, stream);
  return { log, lines };
}

describe("log redaction", () => {
  it("never writes passwords, tokens, codes, cookies or authorization headers", () => {
    const { log, lines } = capture();
    log.info({
      password: "hunter2-hunter2",
      input: { newPassword: "correct horse battery", currentPassword: "old-one-123456" },
      token: "tok_abc",
      code: "123456",
      headers: { cookie: "authjs.session-token=eyJ", authorization: "Bearer xyz" },
      user: { email: "a@b.c" },
    });
    const out = lines.join("");
    for (const secret of [
      "hunter2",
      "correct horse",
      "old-one",
      "tok_abc",
      "123456",
      "eyJ",
      "Bearer",
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain("a@b.c");
    expect(out).toContain("[redacted]");
  });
});
