import { format } from "node:util";
import { afterEach, beforeEach, vi } from "vitest";

// An unexpected console.error usually means a swallowed failure (a React warning, a caught
// exception logged and ignored). Every test fails on one unless it declares it first:
//   import { allowConsoleError } from "@/tests/setup/console-guard";
//   allowConsoleError(/expected message/);
// The message is still printed, so the cause stays visible.

let allowed: RegExp[] = [];
let unexpected: string[] = [];
let spy: { mockRestore(): void } | undefined;

export function allowConsoleError(pattern: RegExp): void {
  allowed.push(pattern);
}

const original = console.error.bind(console);

beforeEach(() => {
  allowed = [];
  unexpected = [];
  spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    const message = format(...args);
    original(...args);
    if (!allowed.some((p) => p.test(message))) unexpected.push(message);
  });
});

afterEach(() => {
  const found = unexpected;
  unexpected = [];
  spy?.mockRestore();
  spy = undefined;
  if (found.length > 0) {
    throw new Error(
      `Unexpected console.error (${found.length}); call allowConsoleError(/.../) if it is expected:\n` +
        found.map((m) => `  ${m.split("\n")[0]}`).join("\n"),
    );
  }
});
