import { describe, expect, it } from "vitest";
import {
  isOwnMessageId,
  newMessageId,
  referencesOf,
  ticketOfMessageId,
} from "@/lib/email/message-id";

// Issue 14 §1: Message-IDs we can recognise and nobody can forge (lib/email/message-id.ts).
const SECRET = "s".repeat(40);
const OTHER = "o".repeat(40);

describe("signed Message-IDs", () => {
  it("names the ticket it was made for, with or without angle brackets", () => {
    const id = newMessageId(1042, "example.com", SECRET);
    expect(id).toMatch(/^tessera\.1042\.[A-Za-z0-9_-]{16}\.[0-9a-f]{32}@example\.com$/);
    expect(ticketOfMessageId(id, SECRET)).toBe(1042);
    expect(ticketOfMessageId(`<${id}>`, SECRET)).toBe(1042);
    expect(isOwnMessageId(id, SECRET)).toBe(true);
  });

  it("refuses an id moved to another ticket, signed with another secret, or made up", () => {
    const id = newMessageId(7, "example.com", SECRET);
    expect(ticketOfMessageId(id.replace("tessera.7.", "tessera.8."), SECRET)).toBeNull();
    expect(ticketOfMessageId(id, OTHER)).toBeNull();
    expect(isOwnMessageId(id, OTHER)).toBe(false);
    const forged = id.replace(/\.[0-9a-f]{32}@/, `.${"0".repeat(32)}@`);
    expect(ticketOfMessageId(forged, SECRET)).toBeNull();
    expect(ticketOfMessageId("CAF=abc123@mail.gmail.com", SECRET)).toBeNull();
  });

  it("marks mail that belongs to no ticket as ours, for no ticket", () => {
    const id = newMessageId(null, "example.com", SECRET);
    expect(ticketOfMessageId(id, SECRET)).toBeNull();
    expect(isOwnMessageId(id, SECRET)).toBe(true);
  });

  it("is different every time", () => {
    const ids = new Set(Array.from({ length: 100 }, () => newMessageId(1, "x.org", SECRET)));
    expect(ids.size).toBe(100);
  });
});

describe("References of a long thread", () => {
  it("keeps the root and the newest ids, dropping the middle and duplicates", () => {
    const thread = Array.from({ length: 30 }, (_, i) => `m${i}@x`);
    const refs = referencesOf([...thread, "m29@x"], 10);
    expect(refs).toEqual(["m0@x", ...thread.slice(21)]);
    expect(refs).toHaveLength(10);
    expect(referencesOf(["a@x", "b@x"], 10)).toEqual(["a@x", "b@x"]);
  });
});
