import { generateToken, hashToken, displayPrefix } from "@/lib/api-tokens/format";
import { makeCategory, makeUser, uniqueSuffix } from "@/prisma/factories";
import { testDb } from "./db";
import { expect, signIn, test } from "./fixtures";

// Issue 16 §1 (ADR 026) over real HTTP, through scripts/server.ts and the edge middleware: the
// API answers a bearer token (the middleware neither redirects nor refuses /api/v1 by cookie), a
// signed-in browser's cookie opens nothing there, the OpenAPI document is public, and the
// reference page renders every operation for a signed-in person.

async function tokenFor(userId: string, scopes: string[]) {
  const token = generateToken();
  await testDb().apiToken.create({
    data: {
      userId,
      name: `e2e ${uniqueSuffix()}`,
      prefix: displayPrefix(token),
      secretHash: hashToken(token),
      scopes,
    },
  });
  return token;
}

test.describe("REST API over HTTP", () => {
  test.describe.configure({ timeout: 90_000 });

  test("a token files and reads a ticket; a cookie opens nothing", async ({ page, request }) => {
    const user = await makeUser(testDb(), { role: "USER" });
    const category = await makeCategory(testDb());
    const token = await tokenFor(user.id, ["tickets:read", "tickets:write", "categories:read"]);
    const auth = { authorization: `Bearer ${token}` };

    const created = await request.post("/api/v1/tickets", {
      headers: auth,
      data: { title: "Monitoring: disk full on db-2", categoryId: category.id },
      maxRedirects: 0,
    });
    expect(created.status()).toBe(201);
    const { number } = (await created.json()) as { number: number };
    const got = await request.get(`/api/v1/tickets/${number}`, { headers: auth });
    expect(got.status()).toBe(200);
    expect(await got.json()).toMatchObject({ number, title: "Monitoring: disk full on db-2" });
    expect(got.headers()["ratelimit-limit"]).toMatch(/^\d+$/);
    // The audit row names the token and the client address scripts/server.ts resolved.
    const event = await testDb().auditEvent.findFirstOrThrow({
      where: { action: "ticket.create", actorId: user.id },
    });
    expect(event.channel).toMatch(/^api:/);
    expect(event.ip).not.toBeNull();

    // Signed in, the browser's cookie is not a credential for the API: 401, not a redirect.
    await signIn(page, user.email, user.password);
    const withCookie = await page.request.get("/api/v1/me", { maxRedirects: 0 });
    expect(withCookie.status()).toBe(401);
    expect(withCookie.headers()["content-type"]).toBe("application/problem+json");
    const anonymous = await request.get("/api/v1/tickets", { maxRedirects: 0 });
    expect(anonymous.status()).toBe(401);

    const doc = await request.get("/api/v1/openapi.json");
    expect(doc.status()).toBe(200);
    expect(((await doc.json()) as { openapi: string }).openapi).toBe("3.1.0");

    await page.goto("/developers/api");
    await expect(page.getByRole("heading", { name: "REST API reference", level: 1 })).toBeVisible();
    await expect(
      page.getByText("/api/v1/tickets/{number}/comments", { exact: true }).first(),
    ).toBeVisible();
    await expect(page.getByRole("heading", { name: "Tickets", level: 2 })).toBeVisible();
  });
});
