import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { makeUser } from "@/prisma/factories";
import { testDb } from "./db";
import { expect, test } from "./fixtures";

// Issue 10 §5b: Auth.js's own endpoints, over HTTP against the running app. A sign-out through
// POST /api/auth/signout must end the session (a saved copy of the token no longer works), and
// GET /api/auth/session must apply the pages' re-check (revoked session: no user, no refreshed
// cookie; the role from the database).

const SESSION_COOKIE = "authjs.session-token";

async function newClient(baseURL: string | undefined): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL });
}

/** Signs in through Auth.js's credentials endpoint; returns the session token it set. */
async function signInOverHttp(client: APIRequestContext, email: string, password: string) {
  const { csrfToken } = (await (await client.get("/api/auth/csrf")).json()) as {
    csrfToken: string;
  };
  const response = await client.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(302);
  expect(response.headers().location ?? "").not.toContain("error=");
  const cookie = (await client.storageState()).cookies.find((c) => c.name === SESSION_COOKIE);
  expect(cookie?.value, "a session cookie after sign-in").toBeTruthy();
  return cookie!.value;
}

/** A request carrying only the saved token, as an attacker replaying a copied cookie would. */
async function withSavedToken(baseURL: string | undefined, token: string, path: string) {
  const client = await newClient(baseURL);
  try {
    const response = await client.get(path, {
      headers: { cookie: `${SESSION_COOKIE}=${token}` },
      maxRedirects: 0,
    });
    return {
      status: response.status(),
      location: response.headers().location ?? "",
      setCookie: response.headersArray().filter((h) => h.name.toLowerCase() === "set-cookie"),
      body: await response.text(),
    };
  } finally {
    await client.dispose();
  }
}

test.describe("Auth.js endpoints @desktop-only", () => {
  test("POST /api/auth/signout ends the session: a saved copy of the token no longer opens /tickets", async ({
    baseURL,
  }) => {
    const user = await makeUser(testDb(), { role: "USER" });
    const client = await newClient(baseURL);
    const token = await signInOverHttp(client, user.email, user.password);
    expect((await withSavedToken(baseURL, token, "/tickets")).status).toBe(200);

    const { csrfToken } = (await (await client.get("/api/auth/csrf")).json()) as {
      csrfToken: string;
    };
    const out = await client.post("/api/auth/signout", {
      form: { csrfToken, callbackUrl: "/login" },
      maxRedirects: 0,
    });
    expect(out.status()).toBe(302);
    await client.dispose();

    const replay = await withSavedToken(baseURL, token, "/tickets");
    expect(replay.status, "the saved token is refused after sign-out").toBe(307);
    expect(replay.location).toContain("/login");
    const row = await testDb().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.sessionVersion).toBe(user.sessionVersion + 1);
    const audit = await testDb().auditEvent.findFirst({
      where: { action: "auth.sign_out", entityId: user.id },
    });
    expect(audit?.outcome).toBe("SUCCESS");
  });

  test("POST /api/auth/signout without the CSRF token ends nothing", async ({ baseURL }) => {
    const user = await makeUser(testDb(), { role: "USER" });
    const client = await newClient(baseURL);
    const token = await signInOverHttp(client, user.email, user.password);
    await client.post("/api/auth/signout", {
      form: { callbackUrl: "/login" },
      maxRedirects: 0,
    });
    await client.dispose();
    expect((await withSavedToken(baseURL, token, "/tickets")).status).toBe(200);
    const row = await testDb().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.sessionVersion).toBe(user.sessionVersion);
  });

  test("GET /api/auth/session: a revoked session gets no user and no refreshed cookie", async ({
    baseURL,
  }) => {
    const user = await makeUser(testDb(), { role: "USER" });
    const client = await newClient(baseURL);
    const token = await signInOverHttp(client, user.email, user.password);
    await client.dispose();

    const live = await withSavedToken(baseURL, token, "/api/auth/session");
    expect(JSON.parse(live.body)).toMatchObject({ user: { email: user.email, role: "USER" } });

    // What sign-out, "sign out everywhere" and a role change do: bump the session version.
    await testDb().user.update({
      where: { id: user.id },
      data: { sessionVersion: { increment: 1 } },
    });
    const revoked = await withSavedToken(baseURL, token, "/api/auth/session");
    expect(revoked.status).toBe(200);
    expect(JSON.parse(revoked.body)?.user ?? null).toBeNull();
    const refreshed = revoked.setCookie.filter(
      (h) => h.value.startsWith(`${SESSION_COOKIE}=`) && !h.value.startsWith(`${SESSION_COOKIE}=;`),
    );
    expect(refreshed, "no fresh session cookie for a revoked session").toEqual([]);
  });

  test("GET /api/auth/session after a role change: revoked, and never the token's old role", async ({
    baseURL,
  }) => {
    const user = await makeUser(testDb(), { role: "USER" });
    const client = await newClient(baseURL);
    const token = await signInOverHttp(client, user.email, user.password);
    await client.dispose();

    // The role column alone (the token still says USER): the answer follows the database.
    await testDb().user.update({ where: { id: user.id }, data: { role: "TECHNICIAN" } });
    const changed = await withSavedToken(baseURL, token, "/api/auth/session");
    const body = JSON.parse(changed.body) as { user?: { role?: string } } | null;
    expect(body?.user?.role ?? null).not.toBe("USER");

    // The app's role change also revokes: then there is no session at all.
    await testDb().user.update({
      where: { id: user.id },
      data: { role: "ADMIN", sessionVersion: { increment: 1 } },
    });
    const revoked = await withSavedToken(baseURL, token, "/api/auth/session");
    expect(JSON.parse(revoked.body)?.user ?? null).toBeNull();
  });
});
