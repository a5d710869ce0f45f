import { waitForMail } from "@/tests/support/mail";
import { expect, makeStaff, signIn, test } from "./fixtures";

// Issue 14 §2, end to end: "Forgot your password?" on the login page, the link read from the mail
// the real SMTP server received, the new password set, and MFA still asked for afterwards.
test("a technician resets a forgotten password by email and still needs their code @mobile", async ({
  page,
}) => {
  const staff = await makeStaff("technician");
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
  await page.getByLabel("Email").fill(staff.email);
  await page.getByRole("button", { name: "Send a reset link" }).click();
  await expect(page.getByText("we sent it a link to choose a new password")).toBeVisible();

  const [mail] = await waitForMail(staff.email, 1, 30_000);
  expect(mail!.subject).toBe("Choose a new password");
  const link = /https?:\/\/[^\s]+\/reset-password\?token=[A-Za-z0-9_-]{43}/.exec(mail!.text ?? "");
  expect(link, mail!.text).not.toBeNull();
  const url = new URL(link![0]);
  await page.goto(`${url.pathname}${url.search}`);

  const password = "a brand new passphrase for e2e";
  await page.getByLabel(/^New password/).fill(password);
  await page.getByLabel("Confirm new password").fill(password);
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page).toHaveURL(/\/login\?passwordReset=1/);
  await expect(page.getByText("Your new password is set")).toBeVisible();

  // The old password is gone; the new one works, and only with a code.
  await page.getByLabel("Email").fill(staff.email);
  await page.getByLabel("Password").fill(staff.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Email or password is incorrect.")).toBeVisible();
  await signIn(page, staff.email, password, { totpSecret: staff.totpSecret });
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

  // The link was single-use.
  await page.context().clearCookies();
  await page.goto(`${url.pathname}${url.search}`);
  await page.getByLabel(/^New password/).fill("yet another passphrase 99");
  await page.getByLabel("Confirm new password").fill("yet another passphrase 99");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByText("This link has expired or was already used.")).toBeVisible();
});

test("the answer does not tell whether an address has an account", async ({ page }) => {
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(`nobody-${Date.now()}@example.test`);
  await page.getByRole("button", { name: "Send a reset link" }).click();
  await expect(page.getByText("If an account uses that address")).toBeVisible();
});
