import { spawn, type ChildProcess } from "node:child_process";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { makeCategory, makeUser, uniqueSuffix } from "@/prisma/factories";
import { testDb } from "./db";
import { E2E_MFA_ENCRYPTION_KEY } from "./mfa-key";
import { DEMO_EMAILS, expect, test } from "./fixtures";

// Issue 10 §2, §5, §5b over raw HTTP against the running app (scripts/server.ts in front of
// Next): who the client is, whose request id is audited, what a spoofed forwarding header
// changes (nothing, without a trusted proxy), TRACE, the middleware matcher, the ticket 404,
// callbackUrl with CR/LF, the CSV export's method and origin. The trusted-proxy cases start a
// second instance of the same build with TRUSTED_PROXIES set (the suite's own server has none).

const PORT = Number(process.env.E2E_PORT ?? 3100);

type Raw = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** One HTTP/1.1 request with exactly these headers (Host included), no redirects followed. */
function raw(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method: options.method ?? "GET",
        path: options.path,
        headers: { host: `127.0.0.1:${port}`, connection: "close", ...options.headers },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.setTimeout(60_000, () => req.destroy(new Error("timeout")));
    if (options.body) req.write(options.body);
    req.end();
  });
}

function cookiesOf(res: Raw): string[] {
  const set = res.headers["set-cookie"] ?? [];
  return (Array.isArray(set) ? set : [set]).map((c) => c.split(";")[0]!);
}

/** Auth.js's CSRF pair: the token and the one csrf cookie that matches it (the middleware's
 * own Auth.js instance sets a second, unrelated one on the same response). */
async function csrfPair(port: number, headers: Record<string, string> = {}) {
  const res = await raw(port, { path: "/api/auth/csrf", headers });
  const { csrfToken } = JSON.parse(res.body) as { csrfToken: string };
  const cookie = cookiesOf(res).find((c) => c.startsWith(`authjs.csrf-token=${csrfToken}`));
  if (!cookie) throw new Error("no matching csrf cookie");
  return { csrfToken, cookie };
}

/** A wrong password through Auth.js's credentials endpoint (audited like the login form's). */
async function failedSignIn(port: number, email: string, headers: Record<string, string> = {}) {
  const { csrfToken, cookie } = await csrfPair(port, headers);
  return raw(port, {
    method: "POST",
    path: "/api/auth/callback/credentials",
    headers: {
      ...headers,
      cookie,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({
      email,
      password: "wrong-password-123",
      csrfToken,
      callbackUrl: "/",
    }).toString(),
  });
}

async function signInAudit(userId: string) {
  return testDb().auditEvent.findMany({
    where: { action: "auth.sign_in", entityId: userId },
    orderBy: { id: "asc" },
  });
}

const SPOOFED = {
  "x-forwarded-for": "198.51.100.66, 198.51.100.67",
  "x-real-ip": "198.51.100.68",
  forwarded: "for=198.51.100.69;proto=https;host=evil.example",
  "x-forwarded-host": "evil.example",
  "x-forwarded-proto": "https",
};

test.describe("without a trusted proxy (the suite's server) @desktop-only", () => {
  test.skip(({ isMobile }) => isMobile, "server-side only");

  test("spoofed forwarding headers and request ids never reach the audit row", async () => {
    const user = await makeUser(testDb());
    const clientRequestId = `client-chosen-${uniqueSuffix()}`;
    const res = await failedSignIn(PORT, user.email, {
      ...SPOOFED,
      "x-request-id": clientRequestId,
    });
    expect(res.status).toBeLessThan(500);
    const [event] = await signInAudit(user.id);
    expect(event?.outcome).toBe("FAILED");
    expect(event!.ip).toBe("127.0.0.1");
    expect(event!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await testDb().auditEvent.count({ where: { requestId: clientRequestId } })).toBe(0);
  });

  test("a spoofed X-Forwarded-Proto/-Host changes neither HSTS nor redirects", async () => {
    const res = await raw(PORT, { path: "/tickets", headers: SPOOFED });
    expect(res.status).toBe(307);
    expect(res.headers["strict-transport-security"]).toBeUndefined();
    expect(String(res.headers["content-security-policy"])).not.toContain(
      "upgrade-insecure-requests",
    );
    // Same origin as the request: Next sends it relative.
    expect(res.headers.location).toBe("/login?callbackUrl=%2Ftickets");
  });

  // §5b: without AUTH_URL the redirects used to say localhost:PORT whatever the Host.
  test("redirects use the host the client asked for, not the bind address", async () => {
    const host = "desk.example.test";
    const page = await raw(PORT, { path: "/tickets", headers: { host } });
    expect(page.headers.location).toBe(`http://${host}/login?callbackUrl=%2Ftickets`);
    const signin = await raw(PORT, { path: "/api/auth/signin", headers: { host } });
    expect(signin.status).toBeGreaterThanOrEqual(300);
    expect(String(signin.headers.location)).toMatch(new RegExp(`^(http://${host})?/login`));
  });

  test("TRACE and CONNECT answer 405, TRACK 400, with the security headers", async () => {
    const trace = await raw(PORT, { method: "TRACE", path: "/login" });
    expect(trace.status).toBe(405);
    expect(trace.headers.allow).toBe("GET, HEAD, POST");
    // Node's parser does not know TRACK: refused before there is a request, same headers.
    const track = await raw(PORT, { method: "TRACK", path: "/login" });
    expect(track.status).toBe(400);
    for (const res of [trace, track]) {
      expect(res.headers["content-security-policy"]).toContain("default-src 'self'");
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["x-frame-options"]).toBe("DENY");
    }
    const status = await new Promise<string>((resolve, reject) => {
      const socket = connect(PORT, "127.0.0.1", () => {
        socket.write("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
      });
      let text = "";
      socket.on("data", (d) => (text += d.toString()));
      socket.on("end", () => resolve(text.split("\r\n")[0] ?? ""));
      socket.on("error", reject);
    });
    expect(status).toBe("HTTP/1.1 405 Method Not Allowed");
  });

  test("matcher exclusions are exact: /robots.txtX goes through the middleware", async () => {
    for (const path of [
      "/robots.txtX",
      "/favicon.icoX",
      "/icon.svgX",
      "/_next/imageX",
      "/api/attachmentsX",
    ]) {
      const res = await raw(PORT, { path });
      expect(res.headers["content-security-policy"], path).toContain("default-src 'self'");
      expect(res.status, path).toBeLessThan(500);
    }
  });

  test("the upload endpoint alone skips the middleware (Next would cut its body at 10 MB)", async () => {
    // Outside the middleware: no page policy; the route itself answers (405 for a GET).
    const upload = await raw(PORT, { path: "/api/attachments" });
    expect(upload.status).toBe(405);
    expect(upload.headers["content-security-policy"]).toBeUndefined();
    // A file's URL still goes through it: refused without a session, with the files' policy.
    const file = await raw(PORT, { path: "/api/attachments/00000000-0000-0000-0000-000000000000" });
    expect(file.status).toBe(401);
    expect(file.headers["content-security-policy"]).toMatch(/^sandbox;/);
  });

  test("callbackUrl with CR/LF: a clean redirect, not a 500", async () => {
    const bad = "/tickets\r\nSet-Cookie: x=1";
    const login = await raw(PORT, { path: `/login?callbackUrl=${encodeURIComponent(bad)}` });
    expect(login.status).toBe(200);
    const signin = await raw(PORT, {
      path: `/api/auth/signin?callbackUrl=${encodeURIComponent(bad)}`,
    });
    expect(signin.status).toBeLessThan(500);
    const { csrfToken, cookie } = await csrfPair(PORT);
    const signout = await raw(PORT, {
      method: "POST",
      path: "/api/auth/signout",
      headers: {
        cookie,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ csrfToken, callbackUrl: bad }).toString(),
    });
    expect(signout.status).toBeGreaterThanOrEqual(300);
    expect(signout.status).toBeLessThan(400);
    expect(String(signout.headers.location)).not.toMatch(/[\r\n]/);
  });

  test("a callbackUrl with CR/LF signs in and lands on the home page", async ({ page }) => {
    await page.goto(`/login?callbackUrl=${encodeURIComponent("/tickets\r\nX: y")}`);
    await page.getByLabel("Email").fill(DEMO_EMAILS.user);
    await page.getByLabel("Password").fill("tessera-demo-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/$/, { timeout: 30_000 });
  });

  test("an unknown ticket and someone else's ticket answer HTTP 404", async ({ page, login }) => {
    const db = testDb();
    const other = await makeUser(db);
    const category = await makeCategory(db);
    const hidden = await db.ticket.create({
      data: {
        title: `hidden ${uniqueSuffix()}`,
        description: "",
        categoryId: category.id,
        requesterId: other.id,
      },
    });
    await login("user");
    for (const path of ["/tickets/999999999", `/tickets/${hidden.number}`]) {
      const res = await page.request.get(path, { maxRedirects: 0 });
      expect(res.status(), path).toBe(404);
      expect(await res.text()).not.toContain(hidden.title);
    }
    const own = await db.ticket.create({
      data: {
        title: `own ${uniqueSuffix()}`,
        description: "",
        categoryId: category.id,
        requesterId: (await db.user.findUniqueOrThrow({ where: { email: DEMO_EMAILS.user } })).id,
      },
    });
    const mine = await page.request.get(`/tickets/${own.number}`);
    expect(mine.status()).toBe(200);
    expect(await mine.text()).toContain(own.title);
  });

  test("the CSV export: GET/HEAD 405, cross-site POST 403, the page's button works", async ({
    page,
    login,
  }) => {
    const admin = await login("admin");
    const db = testDb();
    const before = await db.auditEvent.count({
      where: { action: "audit.export", actorId: admin.id },
    });
    expect((await page.request.get("/admin/audit/export")).status()).toBe(405);
    expect((await page.request.head("/admin/audit/export")).status()).toBe(405);
    const crossSite = await page.request.post("/admin/audit/export", {
      form: { q: "x" },
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status()).toBe(403);
    expect(
      await db.auditEvent.count({ where: { action: "audit.export", actorId: admin.id } }),
    ).toBe(before);

    await page.goto("/admin/audit?action=audit.export");
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^tessera-audit-.*\.csv$/);
    const events = await db.auditEvent.findMany({
      where: { action: "audit.export", actorId: admin.id },
    });
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)!.metadata).toEqual({ filters: { action: "audit.export" } });
  });
});

// A second instance of the same build, with TRUSTED_PROXIES: the test plays the proxies.
function startInstance(port: number, extra: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/server.ts"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...(process.env as Record<string, string>),
      NODE_ENV: "production",
      DATABASE_URL: process.env.TEST_DATABASE_URL!,
      AUTH_SECRET: "tessera-e2e-secret-not-for-production-use-0123456789",
      MFA_ENCRYPTION_KEY: E2E_MFA_ENCRYPTION_KEY,
      AUTH_TRUST_HOST: "true",
      PORT: String(port),
      TESSERA_BIND_HOST: "127.0.0.1",
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: "warn",
      CAPTCHA_AFTER_IP_FAILURES: "10000",
      ...extra,
    },
  });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 60_000;
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error("the second instance exited"));
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(child);
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error("the second instance did not start"));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

async function stopInstance(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null) return;
  const done = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await done;
}

test.describe("per-ip sign-in limit without a trusted proxy @desktop-only", () => {
  test.skip(({ isMobile }) => isMobile, "server-side only");
  const port = PORT + 57;
  let child: ChildProcess | undefined;
  test.beforeAll(async () => {
    child = await startInstance(port, { RATE_LIMIT_SIGN_IN_PER_IP: "3" });
  });
  test.afterAll(() => stopInstance(child));

  test("a new X-Forwarded-For per attempt does not escape the limit", async () => {
    test.setTimeout(120_000);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await failedSignIn(port, `nobody-${uniqueSuffix()}@example.test`, {
        "x-forwarded-for": `198.51.100.${i + 1}`,
        "x-real-ip": `198.51.100.${i + 101}`,
      });
      statuses.push(res.status);
    }
    // The limit counts 127.0.0.1 (shared with the suite's other sign-ins this minute): at most
    // three get through, and once refused every further spoofed address is refused too.
    const first = statuses.indexOf(429);
    expect(first, statuses.join(",")).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThanOrEqual(3);
    expect(
      statuses.slice(first).every((s) => s === 429),
      statuses.join(","),
    ).toBe(true);
  });
});

test.describe("behind trusted proxies (TRUSTED_PROXIES set) @desktop-only", () => {
  test.skip(({ isMobile }) => isMobile, "server-side only");
  const port = PORT + 58;
  let child: ChildProcess | undefined;
  test.beforeAll(async () => {
    // The test connects from 127.0.0.1: it is the nearest proxy; 10.0.0.0/8 are further ones.
    child = await startInstance(port, {
      TRUSTED_PROXIES: "127.0.0.1, 10.0.0.0/8",
      RATE_LIMIT_SIGN_IN_PER_IP: "3",
    });
  });
  test.afterAll(() => stopInstance(child));
  // A client address of this run only (the per-ip counters live in the shared database).
  const client = () =>
    `2001:db8::${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}`;

  test("behind one proxy the right-most hop is the client", async () => {
    const user = await makeUser(testDb());
    const ip = client();
    await failedSignIn(port, user.email, { "x-forwarded-for": `198.51.100.1, ${ip}` });
    const [event] = await signInAudit(user.id);
    expect(event!.ip).toBe(ip);
  });

  test("behind two proxies the right-most untrusted hop is the client", async () => {
    const user = await makeUser(testDb());
    const ip = client();
    await failedSignIn(port, user.email, {
      "x-forwarded-for": `198.51.100.1, ${ip}, 10.1.0.7`,
    });
    const [event] = await signInAudit(user.id);
    expect(event!.ip).toBe(ip);
  });

  test("the trusted proxy's X-Forwarded-Proto/-Host decide HSTS and redirects", async () => {
    const res = await raw(port, {
      path: "/tickets",
      headers: {
        host: "tessera-upstream:3000",
        "x-forwarded-for": client(),
        "x-forwarded-proto": "https",
        "x-forwarded-host": "help.example.test",
      },
    });
    expect(res.headers.location).toBe("https://help.example.test/login?callbackUrl=%2Ftickets");
    expect(String(res.headers["strict-transport-security"])).toContain("max-age=31536000");
  });

  test("the per-ip limit counts the client the proxy saw, whatever the left-most values", async () => {
    test.setTimeout(120_000);
    const ip = client();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await failedSignIn(port, `nobody-${uniqueSuffix()}@example.test`, {
        "x-forwarded-for": `198.51.100.${i + 1}, ${ip}`,
      });
      statuses.push(res.status);
    }
    expect(statuses.map((s) => s === 429)).toEqual([false, false, false, true, true]);
    // Another client behind the same proxy has its own budget.
    const other = await failedSignIn(port, `nobody-${uniqueSuffix()}@example.test`, {
      "x-forwarded-for": client(),
    });
    expect(other.status).not.toBe(429);
  });
});
