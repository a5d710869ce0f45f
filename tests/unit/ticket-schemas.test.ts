import { describe, expect, it } from "vitest";
import {
  TicketBulkStatusSchema,
  TicketAssignSchema,
  TicketCommentSchema,
  TicketCreateSchema,
  TicketListQuerySchema,
  TicketRefSchema,
} from "@/lib/tickets/schemas";

describe("ticket schemas", () => {
  it("trims and bounds the title and description", () => {
    const ok = TicketCreateSchema.parse({ title: "  Mouse dead  ", categoryId: "c1" });
    expect(ok).toMatchObject({ title: "Mouse dead", description: "" });
    expect(TicketCreateSchema.safeParse({ title: "  ab  ", categoryId: "c1" }).success).toBe(false);
    expect(TicketCreateSchema.safeParse({ title: "x".repeat(201), categoryId: "c1" }).success).toBe(
      false,
    );
    expect(
      TicketCreateSchema.safeParse({
        title: "Long",
        description: "y".repeat(20_001),
        categoryId: "c1",
      }).success,
    ).toBe(false);
    expect(
      TicketCreateSchema.safeParse({
        title: "Long",
        description: "y".repeat(20_000),
        categoryId: "c1",
      }).success,
    ).toBe(true);
  });

  it("coerces the version from FormData text and refuses junk", () => {
    expect(TicketRefSchema.parse({ ticketId: "t1", version: "3" }).version).toBe(3);
    expect(TicketRefSchema.safeParse({ ticketId: "t1", version: "0" }).success).toBe(false);
    expect(TicketRefSchema.safeParse({ ticketId: "t1", version: "1.5" }).success).toBe(false);
  });

  it("treats an empty assignee as unassign and refuses empty comments", () => {
    expect(
      TicketAssignSchema.parse({ ticketId: "t", version: 1, assigneeId: "" }).assigneeId,
    ).toBeNull();
    expect(TicketCommentSchema.safeParse({ ticketId: "t", body: "   " }).success).toBe(false);
  });

  it("caps and de-duplicates bulk selections", () => {
    expect(
      TicketBulkStatusSchema.parse({ ticketIds: ["a", "a", "b"], status: "OPEN" }).ticketIds,
    ).toEqual(["a", "b"]);
    const many = Array.from({ length: 101 }, (_, i) => `t${i}`);
    expect(TicketBulkStatusSchema.safeParse({ ticketIds: many, status: "OPEN" }).success).toBe(
      false,
    );
    expect(TicketBulkStatusSchema.safeParse({ ticketIds: ["a"], status: "DONE" }).success).toBe(
      false,
    );
  });

  it("parses any bookmarked list URL, dropping what it does not understand", () => {
    const params = new URLSearchParams(
      "queue=unassigned&status=OPEN,ON_HOLD&priority=HIGH&priority=URGENT&q=vpn&sort=oldest&limit=50",
    );
    const raw: Record<string, string | string[]> = {};
    for (const key of new Set(params.keys())) raw[key] = params.getAll(key);
    for (const key of ["queue", "q", "sort", "limit"]) raw[key] = params.get(key)!;
    expect(TicketListQuerySchema.parse(raw)).toEqual({
      queue: "unassigned",
      status: ["OPEN", "ON_HOLD"],
      priority: ["HIGH", "URGENT"],
      q: "vpn",
      sort: "oldest",
      limit: 50,
    });
    expect(
      TicketListQuerySchema.parse({
        queue: "hacked",
        status: "NOPE",
        limit: "9999",
        createdFrom: "yesterday",
      }),
    ).toEqual({});
  });
});
