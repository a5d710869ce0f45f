// What the app's own logger (lib/logger.ts, with its redaction) writes, captured for assertions.
import { Writable } from "node:stream";
import pino, { type Logger } from "pino";

export type CapturedLogs = { lines: string[]; text(): string; restore(): void };

/**
 * From now until restore(): every line `logger` and its children write, at `level` and above,
 * goes into `lines` instead of stdout. The logger's own configuration (redaction, base fields)
 * still applies: only its destination is swapped.
 */
export function captureLogs(logger: Logger, level: pino.LevelWithSilent = "trace"): CapturedLogs {
  const lines: string[] = [];
  const target = logger as unknown as Record<symbol, unknown>;
  const original = { stream: target[pino.symbols.streamSym], level: logger.level };
  target[pino.symbols.streamSym] = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  logger.level = level;
  return {
    lines,
    text: () => lines.join(""),
    restore() {
      target[pino.symbols.streamSym] = original.stream;
      logger.level = original.level;
    },
  };
}
