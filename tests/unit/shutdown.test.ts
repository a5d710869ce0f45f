import { describe, expect, it } from "vitest";
import { beginShutdown, isShuttingDown, onShutdown, runShutdownHooks } from "@/lib/shutdown";

describe("shutdown hooks", () => {
  it("run newest first, once each; a failing or hanging hook does not stop the others", async () => {
    const ran: string[] = [];
    onShutdown("pool", async () => ran.push("pool"));
    onShutdown("hangs", () => new Promise(() => {}));
    onShutdown("fails", async () => {
      throw new Error("boom");
    });
    onShutdown("jobs", async () => ran.push("jobs"));
    const lines: string[] = [];
    expect(isShuttingDown()).toBe(false);
    beginShutdown();
    expect(isShuttingDown()).toBe(true);
    await runShutdownHooks((line) => lines.push(line), 50);
    expect(ran).toEqual(["jobs", "pool"]);
    expect(lines.join("\n")).toMatch(/fails failed: boom/);
    expect(lines.join("\n")).toMatch(/hangs failed: timed out after 50 ms/);
    await runShutdownHooks(() => {}, 50);
    expect(ran).toEqual(["jobs", "pool"]);
  });
});
