import type { APIRequestContext } from "@playwright/test";
import { AUDIT_FILTER_KEYS } from "@/lib/audit/filters";
import { TicketListQuerySchema } from "@/lib/tickets/schemas";
import { UserListFilterSchema } from "@/lib/users/admin-schemas";
import { CONTROL_PAYLOADS, ownPayloads, t2Payloads } from "../security/t2-helpers";
import { expect, test } from "./fixtures";

// T2 over HTTP (tests/security/t2-sqli.test.ts does the same through the server code): every
// payload of the SQL-injection corpus in every query parameter of every list page, and as the
// path segment of every detail page, sent with the request API (no clicking) by a signed-in
// technician, a requester, an admin and an anonymous visitor. Each request sets ALL of a page's
// parameters to the payload at once: every parameter's SQL is in that page's queries, and an
// error in any part would fail the page. Never a 5xx, never a stack trace or SQL text.
// Desktop project only: the server does the work; the viewport changes nothing.

const PAYLOADS = t2Payloads();
// Path segments (/tickets/<n>, /admin/users/<id>, /admin/audit/<id>) and the login page's
// callbackUrl: our PostgreSQL-specific payloads and the control characters only, to keep the run
// short (the numeric segments are refused by a regex before any query anyway).
const SHORT = [...ownPayloads(), ...CONTROL_PAYLOADS];
const BATCH = 8;
// What must never reach a response: stack frames, Prisma or PostgreSQL error text.
const LEAK =
  /Invalid `prisma|PrismaClient\w*Error|DriverAdapterError|syntax error at or near|invalid byte sequence|out of range|unterminated quoted|relation "\w+" does not exist|\bat [\w.<>]+ \(\/|node_modules\/|\.tsx?:\d+:\d+/;

// Every parameter a list page reads, from the schemas that parse them (a new one is attacked
// without editing this file), plus what a page reads itself (the tickets page's "deleted", the
// audit log's keyset cursor "before") and two parameters no page knows, which must be ignored.
const UNKNOWN_PARAMS = ["dir", "page"];
const TICKET_PARAMS = [...Object.keys(TicketListQuerySchema.shape), "deleted", ...UNKNOWN_PARAMS];
const AUDIT_PARAMS = [...AUDIT_FILTER_KEYS, "before", ...UNKNOWN_PARAMS];
const USER_PARAMS = [...Object.keys(UserListFilterSchema.shape), ...UNKNOWN_PARAMS];

function withParams(path: string, keys: string[], payload: string): string {
  const params = new URLSearchParams();
  for (const key of keys) params.set(key, payload);
  return `${path}?${params.toString()}`;
}

let requests = 0;

/** GETs every url, BATCH at a time; each answer must be < 500 and leak nothing. */
async function sweep(api: APIRequestContext, urls: string[]): Promise<void> {
  for (let i = 0; i < urls.length; i += BATCH) {
    await Promise.all(
      urls.slice(i, i + BATCH).map(async (url) => {
        const response = await api.get(url, { maxRedirects: 0, timeout: 60_000 });
        requests += 1;
        const status = response.status();
        expect(status, `${url} answered ${status}`).toBeLessThan(500);
        const body = await response.text();
        expect(body.match(LEAK)?.[0], `${url} leaked error text`).toBeUndefined();
      }),
    );
  }
}

test.describe("T2 SQL injection over HTTP", () => {
  test.skip(({ isMobile }) => isMobile, "server-side only: the desktop project covers it");
  test.describe.configure({ timeout: 300_000 });

  test.afterAll(() => {
    console.log(`T2 HTTP: ${PAYLOADS.length} payloads, ${requests} requests, 0 server errors`);
  });

  test("technician: ticket lists and ticket pages", async ({ page, login }) => {
    await login("technician");
    const urls = [
      ...PAYLOADS.map((p) => withParams("/tickets", TICKET_PARAMS, p)),
      ...SHORT.map((p) => `/tickets/${encodeURIComponent(p)}`),
    ];
    await sweep(page.request, urls);
  });

  test("requester: my tickets and home", async ({ page, login }) => {
    await login("user");
    const urls = [
      ...PAYLOADS.map((p) => withParams("/tickets", TICKET_PARAMS, p)),
      ...SHORT.map((p) => withParams("/", ["passwordChanged"], p)),
    ];
    await sweep(page.request, urls);
  });

  test("admin: audit viewer, CSV export, users, user and event pages", async ({ page, login }) => {
    await login("admin");
    const urls = [
      ...PAYLOADS.flatMap((p) => [
        withParams("/admin/audit", AUDIT_PARAMS, p),
        withParams("/admin/users", USER_PARAMS, p),
      ]),
      ...SHORT.flatMap((p) => [
        `/admin/users/${encodeURIComponent(p)}`,
        `/admin/audit/${encodeURIComponent(p)}`,
      ]),
    ];
    await sweep(page.request, urls);
  });

  test("anonymous: the login page's callbackUrl", async ({ request }) => {
    await sweep(
      request,
      SHORT.map((p) => withParams("/login", ["callbackUrl"], p)),
    );
  });
});
