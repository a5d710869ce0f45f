// T2 through the REST API (SECURITY.md, ADR 026): every payload of the SQL-injection corpus
// (tests/security/t2-helpers.ts) into the API's list filters and search, path parameters and JSON
// bodies, through the real route handlers with real Requests and tokens. Each call either
// answers 2xx (text stored is read back as sent, trimmed as the forms trim) or 4xx with a
// problem; never a 500, never an SQL error in the PostgreSQL log. Then type confusion in bodies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { makeCategory, makeUser, uniqueSuffix } from "@/tests/support/factories";
import { callApi, makeApiToken, type ApiCall, type TestToken } from "@/tests/support/api-tokens";
import { openPgLogWindow, type PgLogUnavailable, type PgLogWindow } from "./pg-log";
import { eachLimit, show, t2Payloads } from "./t2-helpers";

const db = createTestDb();
const PAYLOADS = t2Payloads();
const RUN = uniqueSuffix()
  .replace(/[^a-z0-9]/g, "")
  .slice(-8);

const tickets = await import("@/app/api/v1/tickets/route");
const ticket = await import("@/app/api/v1/tickets/[number]/route");
const comments = await import("@/app/api/v1/tickets/[number]/comments/route");
const categories = await import("@/app/api/v1/categories/route");
const users = await import("@/app/api/v1/users/route");
const user = await import("@/app/api/v1/users/[id]/route");
const audit = await import("@/app/api/v1/audit-events/route");
const auditOne = await import("@/app/api/v1/audit-events/[id]/route");

// Thousands of calls from a handful of tokens: the limits are not what is tested here.
const LIMITS = {
  RATE_LIMIT_API_PER_MINUTE: "1000000",
  RATE_LIMIT_TICKETS_PER_HOUR: "1000000",
  RATE_LIMIT_REPLIES_PER_HOUR: "1000000",
  RATE_LIMIT_TICKET_EDITS_PER_HOUR: "1000000",
};
const savedEnv: Record<string, string | undefined> = {};

let logWindow: PgLogWindow | PgLogUnavailable;
let userToken: TestToken, techToken: TestToken, adminToken: TestToken;
let categoryId: string;
let ticketNumber: number;
const stats = { calls: 0, ok: 0, refused: 0 };
/** Hundreds of payloads × several calls each: minutes on a loaded 2-core machine. */
const SLOW = 300_000;

type Handler = Parameters<typeof callApi>[0];

async function expectSafe(handler: Handler, call: ApiCall, what: string) {
  const res = await callApi(handler, call);
  stats.calls += 1;
  expect(res.status, `${what}: ${JSON.stringify(res.json)?.slice(0, 300)}`).toBeLessThan(500);
  if (res.status >= 300) {
    stats.refused += 1;
    expect(res.headers.get("content-type"), what).toBe("application/problem+json");
    expect([400, 404, 409, 413, 415, 422], what).toContain(res.status);
  } else stats.ok += 1;
  return res;
}

beforeAll(async () => {
  for (const [k, v] of Object.entries(LIMITS)) {
    savedEnv[k] = process.env[k];
    process.env[k] = v;
  }
  logWindow = await openPgLogWindow(process.env.TEST_DATABASE_URL!);
  const [u, t, a] = await Promise.all([
    makeUser(db, { name: `T2 API User ${RUN}` }),
    makeUser(db, { role: "TECHNICIAN" }),
    makeUser(db, { role: "ADMIN" }),
  ]);
  [userToken, techToken, adminToken] = await Promise.all([
    makeApiToken(db, u.id, { scopes: ["tickets:read", "tickets:write", "categories:read"] }),
    makeApiToken(db, t.id, { scopes: ["tickets:read", "tickets:write", "categories:read"] }),
    makeApiToken(db, a.id),
  ]);
  categoryId = (await makeCategory(db, { name: `T2 API ${RUN}` })).id;
  const created = await callApi(tickets.POST, {
    token: userToken.token,
    path: "/tickets",
    body: { title: `T2 API ticket ${RUN}`, categoryId },
  });
  ticketNumber = (created.json as { number: number }).number;
});

afterAll(async () => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  console.info(
    `T2 API: ${PAYLOADS.length} payloads, ${stats.calls} calls: ${stats.ok} 2xx, ${stats.refused} 4xx, 0 5xx`,
  );
  await db.$disconnect();
});

const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;

describe("T2 API: payloads in filters, search and path parameters", () => {
  it(
    "ticket list filters and search (user and staff)",
    async () => {
      await eachLimit(PAYLOADS, 4, async (p) => {
        for (const token of [userToken, techToken]) {
          await expectSafe(
            tickets.GET,
            { token: token.token, path: `/tickets${q({ q: p })}` },
            `q=${show(p)}`,
          );
          await expectSafe(
            tickets.GET,
            {
              token: token.token,
              path: `/tickets${q({ assignee: p, requester: p, category: p, cursor: p, sort: p })}`,
            },
            `filters=${show(p)}`,
          );
        }
      });
    },
    SLOW,
  );

  it(
    "users and audit filters (admin), path ids",
    async () => {
      await eachLimit(PAYLOADS, 4, async (p) => {
        await expectSafe(
          users.GET,
          { token: adminToken.token, path: `/users${q({ q: p })}` },
          `users q=${show(p)}`,
        );
        await expectSafe(
          audit.GET,
          {
            token: adminToken.token,
            path: `/audit-events${q({ q: p, action: p, actor: p, entityId: p, ip: p, before: p })}`,
          },
          `audit=${show(p)}`,
        );
        await expectSafe(
          user.GET,
          { token: adminToken.token, path: "/users/x", params: { id: p } },
          `user id=${show(p)}`,
        );
        await expectSafe(
          ticket.GET,
          { token: techToken.token, path: "/tickets/x", params: { number: p } },
          `number=${show(p)}`,
        );
        await expectSafe(
          auditOne.GET,
          { token: adminToken.token, path: "/audit-events/x", params: { id: p } },
          `audit id=${show(p)}`,
        );
      });
    },
    SLOW,
  );
});

describe("T2 API: payloads in bodies", () => {
  it(
    "ticket titles, descriptions and replies are stored as sent or refused",
    async () => {
      await eachLimit(PAYLOADS, 4, async (p) => {
        const title = `T2 ${p}`;
        const res = await expectSafe(
          tickets.POST,
          { token: userToken.token, path: "/tickets", body: { title, description: p, categoryId } },
          `title=${show(p)}`,
        );
        if (res.status === 201) {
          const row = await db.ticket.findUniqueOrThrow({
            where: { id: (res.json as { id: string }).id },
          });
          expect(row.title, show(p)).toBe(title.trim());
          expect(row.description, show(p)).toBe(p.trim());
        }
        const reply = await expectSafe(
          comments.POST,
          {
            token: userToken.token,
            path: `/tickets/${ticketNumber}/comments`,
            params: { number: String(ticketNumber) },
            body: { body: p },
          },
          `reply=${show(p)}`,
        );
        if (reply.status === 201) {
          const id = (reply.json as { comment: { id: string } }).comment.id;
          const row = await db.ticketComment.findUniqueOrThrow({ where: { id } });
          expect(row.body, show(p)).toBe(p.trim());
        }
        await expectSafe(
          categories.POST,
          {
            token: adminToken.token,
            path: "/categories",
            body: { name: `${RUN} ${p}`.slice(0, 60) },
          },
          `category=${show(p)}`,
        );
      });
    },
    SLOW,
  );

  it("type confusion: objects, arrays, numbers and nulls where text is expected are refused", async () => {
    const wrong: unknown[] = [
      { $ne: "" },
      ["a", "b"],
      1,
      true,
      null,
      { toString: "x" },
      [{ a: 1 }],
    ];
    for (const v of wrong) {
      for (const body of [
        { title: v, categoryId },
        { title: "Valid title", description: v, categoryId },
        { title: "Valid title", categoryId: v },
        { title: "Valid title", categoryId, requesterId: { in: [] } },
      ]) {
        const before = await db.ticket.count();
        const res = await expectSafe(
          tickets.POST,
          { token: techToken.token, path: "/tickets", body },
          `body=${show(JSON.stringify(body))}`,
        );
        expect(res.status, JSON.stringify(body)).toBe(422);
        expect(await db.ticket.count()).toBeLessThanOrEqual(before);
      }
    }
    // A JSON array or scalar as the whole body.
    for (const raw of ["[]", "1", '"text"', "null"]) {
      const res = await expectSafe(
        tickets.POST,
        {
          token: techToken.token,
          path: "/tickets",
          rawBody: { text: raw, contentType: "application/json" },
        },
        `raw=${raw}`,
      );
      expect(res.status).toBe(422);
    }
  });

  it("0 SQL errors in the PostgreSQL log for this database", async (ctx) => {
    if ("unavailable" in logWindow) {
      if (process.env.TESSERA_TEST_DB_KIND === "embedded") {
        ctx.skip(`the embedded PGlite server keeps no log file (${logWindow.unavailable})`);
        return;
      }
      throw new Error(`T2 API cannot read the PostgreSQL server log: ${logWindow.unavailable}`);
    }
    const errors = await logWindow.errorsSinceStart();
    expect(errors, `errors in ${logWindow.describe}`).toEqual([]);
  });
});
