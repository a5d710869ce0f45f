import { request as playwrightRequest } from "@playwright/test";
import { makeUser } from "@/prisma/factories";
import { testDb } from "./db";
import { expect, signIn, test } from "./fixtures";

// Issue 10 §4 over HTTP against the running app: an attacker's wrong passwords from elsewhere
// put the account's throttle (CAPTCHA, delay) on unrecognised devices, right password included;
// the owner's browser that signed in before (the signed device cookie) still signs in.

test.describe("account throttling and the device cookie @desktop-only", () => {
  test("an attack from elsewhere does not lock the owner's recognised browser out", async ({
    page,
    browser,
    baseURL,
  }) => {
    const owner = await makeUser(testDb(), { role: "USER" });
    await signIn(page, owner.email, owner.password);
    const cookies = await page.context().cookies();
    const device = cookies.find((c) => c.name === "tessera-device");
    expect(device?.httpOnly).toBe(true);
    expect(device?.sameSite).toBe("Strict");

    // The attacker: wrong passwords through Auth.js's endpoint, from another client.
    const attacker = await playwrightRequest.newContext({ baseURL });
    const post = async (password: string) => {
      const { csrfToken } = (await (await attacker.get("/api/auth/csrf")).json()) as {
        csrfToken: string;
      };
      const response = await attacker.post("/api/auth/callback/credentials", {
        form: { csrfToken, email: owner.email, password },
        maxRedirects: 0,
      });
      return { status: response.status(), location: response.headers().location ?? "" };
    };
    for (let i = 0; i < 6; i++) await post("not-the-password-at-all");
    // An unrecognised client is held back even with the right password.
    const unrecognised = await post(owner.password);
    expect(unrecognised.location).toMatch(/code=(captcha_required|rate_limited_\d+)/);
    await attacker.dispose();

    // The owner's browser later (signed out: only the device cookie is left): in with the
    // password, no CAPTCHA, no wait.
    const later = await browser.newContext();
    await later.addCookies([device!]);
    const ownerPage = await later.newPage();
    await signIn(ownerPage, owner.email, owner.password);
    await expect(ownerPage).toHaveURL(/\/$/);
    await later.close();
    const success = await testDb().auditEvent.findFirst({
      where: { action: "auth.sign_in", entityId: owner.id, outcome: "SUCCESS" },
      orderBy: { id: "desc" },
    });
    expect(success?.metadata).toMatchObject({ device: "recognised" });
  });
});
