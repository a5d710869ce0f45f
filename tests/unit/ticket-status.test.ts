import { describe, expect, it } from "vitest";
import {
  OPEN_STATUSES,
  STAFF_TRANSITIONS,
  TICKET_STATUSES,
  allowedTransitions,
  checkTransition,
  commonTransitions,
  isLegalTransition,
  statusTimestamps,
  transitionBlocker,
  type TicketStatus,
} from "@/lib/tickets/status";

const staff = { role: "TECHNICIAN" as const, isRequester: false };
const requester = { role: "USER" as const, isRequester: true };
const stranger = { role: "USER" as const, isRequester: false };

describe("ticket status machine", () => {
  it("has exactly the edges of docs/ARCHITECTURE.md (architecture-doc.test.ts)", () => {
    const edges = TICKET_STATUSES.flatMap((from) =>
      TICKET_STATUSES.filter((to) => isLegalTransition(from, to)).map((to) => `${from}>${to}`),
    );
    expect(edges.sort()).toEqual(
      [
        "NEW>OPEN",
        "NEW>IN_PROGRESS",
        "NEW>RESOLVED",
        "NEW>CLOSED",
        "OPEN>IN_PROGRESS",
        "OPEN>ON_HOLD",
        "OPEN>RESOLVED",
        "OPEN>CLOSED",
        "IN_PROGRESS>OPEN",
        "IN_PROGRESS>ON_HOLD",
        "IN_PROGRESS>RESOLVED",
        "ON_HOLD>OPEN",
        "ON_HOLD>IN_PROGRESS",
        "ON_HOLD>RESOLVED",
        "RESOLVED>OPEN",
        "RESOLVED>CLOSED",
      ].sort(),
    );
  });

  it("never allows staying put, and CLOSED is final", () => {
    for (const s of TICKET_STATUSES) expect(isLegalTransition(s, s)).toBe(false);
    expect(STAFF_TRANSITIONS.CLOSED).toEqual([]);
    expect(checkTransition({ role: "ADMIN", isRequester: false }, "CLOSED", "OPEN")).toBe(
      "illegal",
    );
  });

  it("lets a requester only close or reopen their own resolved ticket", () => {
    expect(allowedTransitions(requester, "RESOLVED").sort()).toEqual(["CLOSED", "OPEN"]);
    for (const from of OPEN_STATUSES) expect(allowedTransitions(requester, from)).toEqual([]);
    expect(checkTransition(requester, "OPEN", "CLOSED")).toBe("forbidden");
    expect(checkTransition(requester, "NEW", "RESOLVED")).toBe("forbidden");
    expect(checkTransition(requester, "NEW", "ON_HOLD")).toBe("illegal");
    expect(checkTransition(stranger, "RESOLVED", "OPEN")).toBe("forbidden");
    expect(checkTransition(requester, "RESOLVED", "OPEN")).toBe("ok");
    expect(checkTransition(staff, "NEW", "OPEN")).toBe("ok");
  });

  it("blocks In progress without an assignee and resolving a new ticket without a reply", () => {
    const none = { assigned: false, replying: false };
    expect(transitionBlocker("OPEN", "IN_PROGRESS", none)).toMatch(/needs an assignee/);
    expect(transitionBlocker("OPEN", "IN_PROGRESS", { ...none, assigned: true })).toBeNull();
    expect(transitionBlocker("NEW", "RESOLVED", { ...none, assigned: true })).toMatch(/reply/);
    expect(transitionBlocker("NEW", "RESOLVED", { ...none, replying: true })).toBeNull();
    expect(transitionBlocker("OPEN", "RESOLVED", none)).toBeNull();
    expect(transitionBlocker("OPEN", "OPEN", none)).toBeNull();
  });

  it("offers a selection only the moves allowed from every selected status", () => {
    expect(commonTransitions(staff, ["NEW", "OPEN"]).sort()).toEqual(
      ["CLOSED", "IN_PROGRESS", "RESOLVED"].sort(),
    );
    expect(commonTransitions(staff, ["OPEN", "RESOLVED"])).toEqual(["CLOSED"]);
    expect(commonTransitions(staff, ["CLOSED", "OPEN"])).toEqual([]);
    expect(commonTransitions(staff, [])).toEqual([]);
    expect(commonTransitions(requester, ["RESOLVED", "OPEN"])).toEqual([]);
  });

  it("sets and clears the resolution timestamps", () => {
    const now = new Date("2026-01-02T03:04:05.000Z");
    const earlier = new Date("2026-01-01T00:00:00.000Z");
    expect(statusTimestamps("OPEN", "RESOLVED", now, { resolvedAt: null })).toEqual({
      resolvedAt: now,
      closedAt: null,
    });
    expect(statusTimestamps("RESOLVED", "CLOSED", now, { resolvedAt: earlier })).toEqual({
      closedAt: now,
      resolvedAt: earlier,
    });
    expect(statusTimestamps("NEW", "CLOSED", now, { resolvedAt: null })).toEqual({
      closedAt: now,
      resolvedAt: now,
    });
    expect(statusTimestamps("RESOLVED", "OPEN", now, { resolvedAt: earlier })).toEqual({
      resolvedAt: null,
      closedAt: null,
    });
    const none: Record<string, never> = {};
    expect(statusTimestamps("OPEN" as TicketStatus, "ON_HOLD", now, { resolvedAt: null })).toEqual(
      none,
    );
  });
});
