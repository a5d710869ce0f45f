import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { solveChallenge, type Challenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { signInEvents } from "@/tests/support/audit";
import { makeUser } from "@/tests/support/factories";
import { postgresHandle, redisHandle, uniqueIp } from "@/tests/support/rate-limit";

// The proof-of-work CAPTCHA: required after 3 recent failures of an account or an ip, verified
// on the server (signature, expiry, solution), accepted once.
const { authenticate, CaptchaRequiredError, SignInFailedCaptchaNextError } =
  await import("@/lib/auth/sign-in");
const { setRateLimitStore } = await import("@/lib/rate-limit");
const { createCaptchaChallenge, verifyCaptcha, DEFAULT_DIFFICULTY } =
  await import("@/lib/captcha/server");

const db = createTestDb();
const WRONG = "definitely-not-the-password";
const EASY = { cost: 1, minCounter: 5, maxCounter: 20 }; // fast to solve in tests

async function solved(challenge?: Challenge): Promise<string> {
  const c = challenge ?? (await createCaptchaChallenge(EASY));
  const solution = await solveChallenge({ challenge: c, deriveKey });
  expect(solution).not.toBeNull();
  return Buffer.from(
    JSON.stringify({
      challenge: { parameters: c.parameters, signature: c.signature },
      solution: { counter: solution!.counter, derivedKey: solution!.derivedKey },
    }),
  ).toString("base64");
}

const ctx = (ip: string) => ({ ip, userAgent: "vitest", requestId: "req-captcha" });
const auditReasons = async (email: string) =>
  (await signInEvents(db, email)).map(
    (e) => (e.metadata as { reason?: string }).reason ?? e.outcome,
  );

beforeEach(() => {
  vi.stubEnv("RATE_LIMIT_SIGN_IN_PER_IP", "10000");
  vi.stubEnv("CAPTCHA_AFTER_ACCOUNT_FAILURES", "3");
  vi.stubEnv("CAPTCHA_AFTER_IP_FAILURES", "3");
  setRateLimitStore(postgresHandle(db).store);
});
afterEach(() => {
  vi.unstubAllEnvs();
  setRateLimitStore(undefined);
});
afterAll(() => db.$disconnect());

describe("CAPTCHA after 3 failures", () => {
  it("per account: the 3rd failure asks for it, then it is required, verified, and works", async () => {
    const user = await makeUser(db);
    const attempt = (password: string, altcha?: string) =>
      authenticate({ email: user.email, password, altcha }, ctx(uniqueIp()));

    expect(await attempt(WRONG)).toBeNull();
    expect(await attempt(WRONG)).toBeNull();
    await expect(attempt(WRONG)).rejects.toBeInstanceOf(SignInFailedCaptchaNextError);
    // Without a solution, even the right password is refused (and not checked).
    await expect(attempt(user.password)).rejects.toBeInstanceOf(CaptchaRequiredError);
    await expect(attempt(user.password, "bm90LWEtcGF5bG9hZA==")).rejects.toBeInstanceOf(
      CaptchaRequiredError,
    );
    expect(await attempt(user.password, await solved())).toMatchObject({ id: user.id });
    expect(await auditReasons(user.email)).toEqual([
      "wrong_password",
      "wrong_password",
      "wrong_password",
      "captcha_required",
      "captcha_invalid",
    ]); // the success is audited under the user's id (auth.test.ts covers it)
  });

  it("per ip: 3 failures from one ip on different accounts require it for the next account", async () => {
    const ip = uniqueIp();
    const other = await makeUser(db);
    for (let i = 0; i < 2; i++) {
      expect(
        await authenticate({ email: `x${i}-${ip}@example.test`, password: WRONG }, ctx(ip)),
      ).toBeNull();
    }
    await expect(
      authenticate({ email: `x2-${ip}@example.test`, password: WRONG }, ctx(ip)),
    ).rejects.toBeInstanceOf(SignInFailedCaptchaNextError);
    await expect(
      authenticate({ email: other.email, password: other.password }, ctx(ip)),
    ).rejects.toBeInstanceOf(CaptchaRequiredError);
    expect(
      await authenticate(
        { email: other.email, password: other.password, altcha: await solved() },
        ctx(ip),
      ),
    ).toMatchObject({ id: other.id });
  });

  it("a replayed solution is refused", async () => {
    const user = await makeUser(db);
    for (let i = 0; i < 3; i++) {
      await authenticate({ email: user.email, password: WRONG }, ctx(uniqueIp())).catch(() => null);
    }
    const payload = await solved();
    await expect(
      authenticate({ email: user.email, password: WRONG, altcha: payload }, ctx(uniqueIp())),
    ).rejects.toBeInstanceOf(SignInFailedCaptchaNextError); // accepted, wrong password
    await expect(
      authenticate(
        { email: user.email, password: user.password, altcha: payload },
        ctx(uniqueIp()),
      ),
    ).rejects.toBeInstanceOf(CaptchaRequiredError);
    expect((await auditReasons(user.email)).at(-1)).toBe("captcha_replayed");
  });
});

describe("verifyCaptcha()", () => {
  it.each([
    ["postgres", () => postgresHandle(db)],
    ["redis", () => redisHandle()],
  ])("accepts a solution once on the %s store, from any instance", async (_n, make) => {
    const a = make();
    const b = make();
    const payload = await solved();
    expect(await verifyCaptcha(payload, a.store)).toBe("ok");
    expect(await verifyCaptcha(payload, b.store)).toBe("replayed");
    await a.close();
    await b.close();
  });

  it("refuses a missing, malformed, tampered, unsigned or expired solution", async () => {
    const { store } = postgresHandle(db);
    expect(await verifyCaptcha(undefined, store)).toBe("missing");
    expect(await verifyCaptcha("%%%", store)).toBe("invalid");
    expect(await verifyCaptcha({ challenge: {} }, store)).toBe("invalid");

    const challenge = await createCaptchaChallenge(EASY);
    const good = JSON.parse(Buffer.from(await solved(challenge), "base64").toString());
    const encode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64");
    // Lowering the cost or the prefix breaks the signature.
    const tampered = structuredClone(good);
    tampered.challenge.parameters.keyPrefix = "00";
    expect(await verifyCaptcha(encode(tampered), store)).toBe("invalid");
    const wrongKey = structuredClone(good);
    wrongKey.solution.derivedKey = "ab".repeat(32);
    expect(await verifyCaptcha(encode(wrongKey), store)).toBe("invalid");
    const unsigned = structuredClone(good);
    delete unsigned.challenge.signature;
    expect(await verifyCaptcha(encode(unsigned), store)).toBe("invalid");

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 6 * 60 * 1000); // challenges live 5 minutes
    try {
      expect(await verifyCaptcha(encode(good), store)).toBe("expired");
    } finally {
      vi.useRealTimers();
    }
  });

  it("the default difficulty makes the solver do real work (measured)", async () => {
    const challenge = await createCaptchaChallenge(DEFAULT_DIFFICULTY);
    const started = performance.now();
    const solution = await solveChallenge({ challenge, deriveKey });
    const ms = performance.now() - started;
    expect(solution!.counter).toBeGreaterThanOrEqual(DEFAULT_DIFFICULTY.minCounter);
    expect(ms).toBeGreaterThan(50);
    console.info(
      `default CAPTCHA solved in Node in ${Math.round(ms)} ms (counter ${solution!.counter})`,
    );
  });
});
