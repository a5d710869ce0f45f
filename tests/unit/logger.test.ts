import { afterEach, describe, expect, it } from "vitest";
import { REDACT_PATHS, logger, requestLogger } from "@/lib/logger";
import { captureLogs, type CapturedLogs } from "@/tests/support/logs";

// The app's own logger (lib/logger.ts), not a copy built from its redaction list: if it stops
// redacting, or a path leaves the list, these tests fail.

let logs: CapturedLogs | undefined;
afterEach(() => logs?.restore());

/** An object with `value` at `path` ("*" stands for any key: one is made up). */
function at(path: string, value: string): Record<string, unknown> {
  const keys = path.split(".").map((k, i) => (k === "*" ? `any${i}` : k));
  return keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<
    string,
    unknown
  >;
}

describe("log redaction", () => {
  it("never writes passwords, tokens, codes, cookies or authorization headers", () => {
    logs = captureLogs(logger);
    logger.info({
      password: "hunter2-hunter2",
      input: { newPassword: "correct horse battery", currentPassword: "old-one-123456" },
      token: "tok_abc",
      code: "123456",
      headers: { cookie: "authjs.session-token=eyJ", authorization: "Bearer xyz" },
      user: { email: "a@b.c" },
    });
    const out = logs.text();
    expect(logs.lines).toHaveLength(1);
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

  it("redacts every path of REDACT_PATHS, in request loggers too", () => {
    logs = captureLogs(logger);
    const log = requestLogger("req-logger-test", { action: "test.redaction" });
    REDACT_PATHS.forEach((path, i) => log.warn(at(path, `secret-${i}-value`), path));
    expect(logs.lines).toHaveLength(REDACT_PATHS.length);
    for (const [i, line] of logs.lines.entries()) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(line, REDACT_PATHS[i]).not.toContain(`secret-${i}-value`);
      expect(line, REDACT_PATHS[i]).toContain("[redacted]");
      expect(entry).toMatchObject({ app: "tessera", requestId: "req-logger-test" });
    }
  });

  it("writes what is not a secret", () => {
    logs = captureLogs(logger);
    logger.info({ ticket: { number: 1042, title: "Printer" } }, "ticket filed");
    expect(JSON.parse(logs.text())).toMatchObject({
      msg: "ticket filed",
      ticket: { number: 1042, title: "Printer" },
    });
  });
});
