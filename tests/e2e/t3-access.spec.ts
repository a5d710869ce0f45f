// T3 over HTTP (SECURITY.md, ADR 012): every page route and route handler, requested directly (not
// clicked) by each principal, answers what ROUTE_RULES and the permission table say; the
// `x-middleware-subrequest` bypass (CVE-2025-29927) changes nothing; a server action or the
// Auth.js credentials callback posted from a foreign Origin is refused. @desktop-only
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { routeAccess, scopeOf, type Permission, type Role } from "@/lib/auth/permissions";
import { makeCategory, makeUser, uniqueSuffix } from "@/prisma/factories";
import { testDb } from "./db";
import { DEMO_EMAILS, expect, signIn, test } from "./fixtures";

test.beforeEach(({}, info) => {
  test.skip(info.project.name !== "desktop", "the attack suites run on the desktop project only");
});

type Principal = { key: string; role: Role | null };
const LOGIN_ROLE = { USER: "user", TECHNICIAN: "technician", ADMIN: "admin" } as const;
const PRINCIPALS: Principal[] = [
  { key: "anonymous", role: null },
  { key: "user A", role: "USER" },
  { key: "user B", role: "USER" },
  { key: "technician", role: "TECHNICIAN" },
  { key: "admin", role: "ADMIN" },
];

const HEADER_VARIANTS = [
  "middleware",
  "src/middleware",
  "middleware:middleware:middleware:middleware:middleware",
  "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware",
  "pages/_middleware",
  "proxy:proxy:proxy:proxy:proxy",
];

/** `signedIn`: what a public page does for someone already signed in (the login page sends them
 * home). `permission`: for pages the route table leaves at "signed-in" (the ticket pages). */
type Route = { path: string; permission?: Permission; owner?: string; signedIn?: string };
/** `notFoundPage`: a 200 whose body is the not-found page (a page under a loading boundary has
 * already sent its 200 when notFound() runs; the body is what counts, and it must not leak). */
type Answer = { status: number; location: string | null; notFoundPage?: boolean };

/** What the table says: computed from ROUTE_RULES and PERMISSIONS, never written per cell. */
function expected(route: Route, p: Principal, ids: Record<string, string>): string {
  const access = routeAccess(route.path);
  if (access === "public") return p.role && route.signedIn ? route.signedIn : "ok";
  if (!p.role) return route.path.startsWith("/api/") ? "401" : "login";
  const permission = access === "signed-in" ? route.permission : access;
  if (!permission) return "ok";
  const scope = scopeOf(p.role, permission);
  if (scope === "none") return "forbidden";
  if (scope === "own" && route.owner && route.owner !== ids[p.key]) return "not-found";
  return "ok";
}

function classify(a: Answer): string {
  if (a.status === 200) return a.notFoundPage ? "not-found" : "ok";
  if (a.status === 401) return "401";
  if (a.status === 404) return "not-found";
  if (a.status === 403) return "forbidden";
  if (a.status >= 300 && a.status < 400 && a.location) {
    const path = new URL(a.location, "http://x").pathname;
    if (path === "/login") return "login";
    if (path === "/forbidden") return "forbidden";
    return `redirect ${path}`;
  }
  return `status ${a.status}`;
}

async function fetchAs(
  request: APIRequestContext,
  path: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const get = () => request.get(path, { maxRedirects: 0, headers, failOnStatusCode: false });
  // A keep-alive socket the server closed while the browser signed in (slow MFA sign-in on a
  // busy machine) resets once; that is transport, not an answer, so ask again.
  const res = await get().catch((error: Error) => {
    if (!/ECONNRESET/.test(error.message)) throw error;
    return get();
  });
  const body = res.status() === 200 ? await res.text() : "";
  return {
    status: res.status(),
    location: res.headers()["location"] ?? null,
    ...(res.status() === 200 && {
      // What Next.js adds to a page that called notFound() after its status was sent.
      notFoundPage: body.includes('<meta name="robots" content="noindex"/>'),
    }),
  };
}

const db = testDb();
const PASSWORD = "t3-e2e-password-walnut-river";

test("T3 routes: every principal gets what the table says; x-middleware-subrequest changes nothing @desktop-only", async ({
  page,
  context,
  login,
}) => {
  test.setTimeout(300_000);
  const userA = await db.user.findUniqueOrThrow({ where: { email: DEMO_EMAILS.user } });
  const userB = await makeUser(db, { password: PASSWORD });
  const tech = await db.user.findUniqueOrThrow({ where: { email: DEMO_EMAILS.technician } });
  const admin = await db.user.findUniqueOrThrow({ where: { email: DEMO_EMAILS.admin } });
  const ids: Record<string, string> = {
    "user A": userA.id,
    "user B": userB.id,
    technician: tech.id,
    admin: admin.id,
  };
  const category = await makeCategory(db);
  const ticket = (requesterId: string) =>
    db.ticket.create({
      data: {
        title: `T3 http ${uniqueSuffix()}`,
        description: "",
        categoryId: category.id,
        requesterId,
      },
    });
  const [ticketA, ticketB] = [await ticket(userA.id), await ticket(userB.id)];
  const note = `t3-internal-note-${uniqueSuffix()}`;
  await db.ticketComment.create({
    data: { ticketId: ticketA.id, authorId: tech.id, body: note, internal: true },
  });
  const event = await db.auditEvent.findFirstOrThrow({ orderBy: { id: "desc" } });

  const routes: Route[] = [
    { path: "/login", signedIn: "redirect /" },
    { path: "/forgot-password", signedIn: "redirect /account/password" },
    { path: "/reset-password" },
    { path: "/api/auth/session" },
    { path: "/" },
    { path: "/tickets", permission: "ticket:read" },
    { path: "/tickets/new", permission: "ticket:create" },
    { path: `/tickets/${ticketA.number}`, permission: "ticket:read", owner: userA.id },
    { path: `/tickets/${ticketB.number}`, permission: "ticket:read", owner: userB.id },
    { path: "/account/password", permission: "account:manage" },
    { path: "/account/notifications", permission: "account:manage" },
    // Staff only ("canned:use", from the route table): requesters never reach snippets.
    { path: "/canned-responses" },
    // The admin pages' permissions come from the route table (ROUTE_RULES).
    { path: "/admin/users" },
    { path: "/admin/users/new" },
    { path: `/admin/users/${userB.id}` },
    { path: "/admin/categories" },
    { path: "/admin/audit" },
    { path: `/admin/audit/${event.id}` },
    // /admin/audit/export is a same-origin POST (GET answers 405): tests/e2e/proxy.spec.ts and
    // the access matrix (tests/security/t3-access-matrix.test.ts) cover it.
    { path: "/admin/security" },
    { path: "/admin/settings" },
    { path: "/admin/email" },
    { path: "/admin/webhooks" },
    { path: "/admin/webhooks/new" },
    // Technicians see their own work (scope "own", forced in lib/reports/queries.ts); the
    // export is a same-origin POST covered by the access matrix.
    { path: "/reports" },
  ];

  let cells = 0;
  let refused = 0;
  let variants = 0;
  for (const principal of PRINCIPALS) {
    await context.clearCookies();
    if (principal.key === "user B") await signIn(page, userB.email, PASSWORD);
    else if (principal.role) ids[principal.key] = (await login(LOGIN_ROLE[principal.role])).id;
    const request = page.request;
    for (const route of routes) {
      const want = expected(route, principal, ids);
      const got = await fetchAs(request, route.path);
      cells += 1;
      expect(classify(got), `${principal.key} GET ${route.path}`).toBe(want);
      if (want === "not-found" && route.path.startsWith("/tickets/")) {
        const html = await (await request.get(route.path)).text();
        const title = route.owner === userA.id ? ticketA.title : ticketB.title;
        expect(html, "a hidden ticket leaks nothing").not.toContain(title);
      }
      if (route.path === `/tickets/${ticketA.number}` && want === "ok") {
        // The internal note is for staff only ("ticket:note").
        const html = await (await request.get(route.path)).text();
        const staffNote = scopeOf(principal.role!, "ticket:note") !== "none";
        expect(html.includes(note), `${principal.key} sees the internal note`).toBe(staffNote);
      }
      if (want === "ok") continue;
      refused += 1;
      for (const variant of HEADER_VARIANTS) {
        const again = await fetchAs(request, route.path, { "x-middleware-subrequest": variant });
        variants += 1;
        expect(
          again,
          `${principal.key} GET ${route.path} with x-middleware-subrequest: ${variant}`,
        ).toEqual(got);
      }
    }
  }
  console.info(
    `T3 http: ${routes.length} routes × ${PRINCIPALS.length} principals = ${cells} cells as the table says; ` +
      `${refused} refusals × ${HEADER_VARIANTS.length} x-middleware-subrequest variants = ${variants} unchanged`,
  );
});

/** The id of a server action in the built app, by file and export name. */
function actionId(filename: string, exportedName: string): string {
  const manifest = JSON.parse(
    readFileSync(join(process.cwd(), ".next/server/server-reference-manifest.json"), "utf8"),
  ) as { node: Record<string, { filename?: string; exportedName?: string }> };
  const found = Object.entries(manifest.node).find(
    ([, v]) => v.filename === filename && v.exportedName === exportedName,
  );
  if (!found) throw new Error(`server action ${filename}#${exportedName} not in the manifest`);
  return found[0];
}

test("T3 origin: a server action posted from a foreign Origin is refused and writes nothing @desktop-only", async ({
  page,
  login,
  baseURL,
}) => {
  await login("user");
  const id = actionId("lib/tickets/actions.ts", "createTicketAction");
  const category = await makeCategory(db);
  const post = async (origin: string, title: string) =>
    page.request.post("/tickets/new", {
      headers: {
        "Next-Action": id,
        Origin: origin,
        "Content-Type": "text/plain;charset=UTF-8",
        Accept: "text/x-component",
      },
      data: JSON.stringify([{ title, description: "t3 origin", categoryId: category.id }]),
      maxRedirects: 0,
      failOnStatusCode: false,
    });

  const evilTitle = `T3 evil ${uniqueSuffix()}`;
  const evil = await post("https://evil.example", evilTitle);
  expect(evil.status()).toBeGreaterThanOrEqual(400);
  expect(await db.ticket.count({ where: { title: evilTitle } })).toBe(0);

  // Control: the same request from the app's own origin creates the ticket.
  const ownTitle = `T3 own ${uniqueSuffix()}`;
  const own = await post(new URL(baseURL!).origin, ownTitle);
  expect(own.status()).toBe(200);
  await expect.poll(() => db.ticket.count({ where: { title: ownTitle } })).toBe(1);
});

test("T3 origin: the Auth.js credentials callback refuses a missing CSRF token and a foreign Origin @desktop-only", async ({
  playwright,
  baseURL,
}) => {
  const user = await makeUser(db, { password: PASSWORD });
  const sessionSet = (headers: { name: string; value: string }[]) =>
    headers.some(
      (h) => h.name.toLowerCase() === "set-cookie" && /session-token=[^;]/.test(h.value),
    );
  const origin = new URL(baseURL!).origin;

  // Cross-site: a foreign Origin, no CSRF token, and (SameSite=Lax) none of our cookies.
  const anon = await playwright.request.newContext({ baseURL });
  const foreign = await anon.post("/api/auth/callback/credentials", {
    headers: { Origin: "https://evil.example" },
    form: { email: user.email, password: PASSWORD },
    maxRedirects: 0,
    failOnStatusCode: false,
  });
  expect(sessionSet(foreign.headersArray())).toBe(false);
  expect(
    classify({ status: foreign.status(), location: foreign.headers()["location"] ?? null }),
  ).not.toBe("ok");
  await anon.dispose();

  // Same origin, with the CSRF cookie but without the token in the body.
  const ctx = await playwright.request.newContext({ baseURL });
  const { csrfToken } = (await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const missing = await ctx.post("/api/auth/callback/credentials", {
    headers: { Origin: origin },
    form: { email: user.email, password: PASSWORD },
    maxRedirects: 0,
    failOnStatusCode: false,
  });
  expect(sessionSet(missing.headersArray())).toBe(false);

  // Control: with the token, the same request signs in (so the refusals above mean something).
  const good = await ctx.post("/api/auth/callback/credentials", {
    headers: { Origin: origin },
    form: { email: user.email, password: PASSWORD, csrfToken },
    maxRedirects: 0,
    failOnStatusCode: false,
  });
  expect(sessionSet(good.headersArray())).toBe(true);
  await ctx.dispose();
  expect(
    await db.auditEvent.count({
      where: { actorId: user.id, action: "auth.sign_in", outcome: "SUCCESS" },
    }),
  ).toBe(1);
});
