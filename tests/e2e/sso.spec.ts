import type { Page } from "@playwright/test";
import { makeUser, uniqueSuffix } from "@/prisma/factories";
import { expect, test } from "./fixtures";
import { testDb } from "./db";

// Single sign-on end to end (docs/decisions/029-single-sign-on.md): Chromium, the app, and a
// real OpenID Connect provider process (scripts/oidc-test-provider.ts, started by npm test /
// scripts/attachment-services.ts; playwright.config.ts points the app at it). The provider's own
// login form signs people in; what its ID tokens say per person is set through its test-only
// endpoint before each sign-in. The app runs with TESSERA_SSO_JIT=off and the groups
// "tessera-admins" / "tessera-technicians" mapped to the staff roles.

const issuer = process.env.TESSERA_TEST_OIDC_ISSUER;
test.skip(
  !issuer,
  "needs the OpenID Connect test provider (TESSERA_TEST_OIDC_ISSUER; npm test starts it)",
);
// One viewport proves the protocol; the provider's people are shared state of this file.
test.describe.configure({ mode: "serial" });

type IdpPerson = {
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
  misbehave?: "wrong_audience" | "expired" | null;
};

/** What the provider's ID tokens say about `login` from its next sign-in on. */
async function idpSays(login: string, person: IdpPerson): Promise<void> {
  const res = await fetch(`${issuer}/__test/users/${encodeURIComponent(login)}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(person),
  });
  expect(res.status).toBe(204);
}

/** The SSO button, then the provider's login form (when it has no session for this browser). */
async function ssoSignIn(page: Page, login: string, { idpForm = true } = {}): Promise<void> {
  await page.goto("/login");
  await page.waitForLoadState("networkidle");
  await page.getByRole("button", { name: "Continue with Test IdP", exact: true }).click();
  if (idpForm) {
    await page.waitForURL((url) => url.href.startsWith(issuer!), { timeout: 30_000 });
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill("anything");
    await page.getByRole("button", { name: "Sign-in", exact: true }).click();
  }
}

async function signedInAs(page: Page) {
  await expect(page).not.toHaveURL(/\/login(\?|$)/, { timeout: 30_000 });
  await expect(page).not.toHaveURL(/\/account\/mfa/);
}

async function signOut(page: Page) {
  await page.goto("/");
  // The account menu (the user's name) holds "Sign out" on a desktop viewport.
  await page.getByRole("button", { name: /^Account menu for / }).click();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
}

async function lastSsoAudit(since: Date) {
  return testDb().auditEvent.findMany({
    where: { action: "auth.sign_in", createdAt: { gte: since }, channel: "sso" },
    orderBy: { id: "desc" },
  });
}

test.beforeEach(async ({ allowConsoleError }) => {
  // The provider's pages have no favicon (a 404 in the console).
  allowConsoleError(/Failed to load resource/);
});

test("@desktop-only SSO signs a linked person in with the mapped role, without Tessera's MFA", async ({
  page,
}) => {
  const since = new Date();
  const login = `tech-${uniqueSuffix()}`;
  // An existing account (no MFA) is linked by the email the provider marks verified.
  const user = await makeUser(testDb(), { role: "USER", mfa: false, email: `${login}@corp.test` });
  await idpSays(login, {
    email: user.email,
    email_verified: true,
    groups: ["tessera-technicians"],
  });
  await ssoSignIn(page, login);
  await signedInAs(page);
  const row = await testDb().user.findUniqueOrThrow({ where: { id: user.id } });
  expect(row.role).toBe("TECHNICIAN");
  // Staff without Tessera MFA: a password session would be sent to /account/mfa; SSO is not.
  await page.goto("/tickets");
  await expect(page).toHaveURL(/\/tickets/);
  const account = await testDb().account.findMany({ where: { userId: user.id } });
  expect(account).toEqual([
    expect.objectContaining({ provider: issuer, providerAccountId: login, type: "oidc" }),
  ]);
  const audits = await lastSsoAudit(since);
  expect(audits.some((a) => a.outcome === "SUCCESS" && a.actorId === user.id)).toBe(true);
});

test("@desktop-only an unknown person is refused with a clear message (no JIT)", async ({
  page,
}) => {
  const login = `stranger-${uniqueSuffix()}`;
  await idpSays(login, { email: `${login}@corp.test`, email_verified: true, groups: [] });
  await ssoSignIn(page, login);
  await expect(page).toHaveURL(/\/login\?sso=no_account/, { timeout: 30_000 });
  await expect(page.getByTestId("sso-error")).toContainText(
    "you do not have a help desk account yet",
  );
  expect(await testDb().user.findUnique({ where: { email: `${login}@corp.test` } })).toBeNull();
});

test("@desktop-only an unverified email is not linked to the existing account", async ({
  page,
}) => {
  const login = `unverified-${uniqueSuffix()}`;
  const user = await makeUser(testDb(), { role: "USER", mfa: false, email: `${login}@corp.test` });
  await idpSays(login, { email: user.email, email_verified: false });
  await ssoSignIn(page, login);
  await expect(page).toHaveURL(/\/login\?sso=email_unverified/, { timeout: 30_000 });
  await expect(page.getByTestId("sso-error")).toContainText("did not confirm your email");
  expect(await testDb().account.count({ where: { userId: user.id } })).toBe(0);
});

for (const [mode, reason] of [
  ["wrong_audience", "wrong_audience"],
  ["expired", "token_expired"],
] as const) {
  test(`@desktop-only an ID token that is ${mode.replace("_", " ")} is refused`, async ({
    page,
  }) => {
    const since = new Date();
    const login = `bad-${mode}-${uniqueSuffix()}`;
    const user = await makeUser(testDb(), {
      role: "USER",
      mfa: false,
      email: `${login}@corp.test`,
    });
    await idpSays(login, { email: user.email, email_verified: true, misbehave: mode });
    await ssoSignIn(page, login);
    await expect(page).toHaveURL(/\/login\?error=/, { timeout: 30_000 });
    await expect(page.getByTestId("sso-error")).toContainText("Single sign-on did not complete");
    // Not signed in, not linked, and the failure is audited with its reason.
    await page.goto("/tickets");
    await expect(page).toHaveURL(/\/login/);
    expect(await testDb().account.count({ where: { userId: user.id } })).toBe(0);
    const audits = await lastSsoAudit(since);
    expect(
      audits.some(
        (a) =>
          a.outcome === "FAILED" && (a.metadata as { reason?: string } | null)?.reason === reason,
      ),
    ).toBe(true);
  });
}

test("@desktop-only a changed group changes the role at the next sign-in, both ways", async ({
  page,
}) => {
  const login = `mover-${uniqueSuffix()}`;
  const user = await makeUser(testDb(), { role: "USER", mfa: false, email: `${login}@corp.test` });
  await idpSays(login, { email: user.email, email_verified: true, groups: ["staff"] });
  await ssoSignIn(page, login);
  await signedInAs(page);
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/forbidden/);

  // Promoted at the provider: admin at the next sign-in (the provider still knows this browser).
  await signOut(page);
  await idpSays(login, { email: user.email, email_verified: true, groups: ["tessera-admins"] });
  await ssoSignIn(page, login, { idpForm: false });
  await signedInAs(page);
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/admin\/users/);
  let row = await testDb().user.findUniqueOrThrow({ where: { id: user.id } });
  expect(row.role).toBe("ADMIN");
  const change = await testDb().auditEvent.findFirst({
    where: { action: "user.role_change", entityId: user.id },
    orderBy: { id: "desc" },
  });
  expect(change?.channel).toBe("sso");

  // Demoted again.
  await signOut(page);
  await idpSays(login, { email: user.email, email_verified: true, groups: [] });
  await ssoSignIn(page, login, { idpForm: false });
  await signedInAs(page);
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/forbidden/);
  row = await testDb().user.findUniqueOrThrow({ where: { id: user.id } });
  expect(row.role).toBe("USER");
});

test("@desktop-only the break-glass local admin still signs in with password and MFA", async ({
  page,
  login,
}) => {
  await page.goto("/login");
  await expect(
    page.getByRole("button", { name: "Continue with Test IdP", exact: true }),
  ).toBeVisible();
  await login("admin");
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/admin\/users/);
});
