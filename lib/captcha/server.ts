import "server-only";
import { createHash, createHmac } from "node:crypto";
import { createChallenge, randomInt, verifySolution, type Challenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import type { RateLimitStore } from "@/lib/rate-limit/types";

// Self-hosted proof-of-work CAPTCHA (ALTCHA, no third party). The server signs a challenge with
// a key derived from AUTH_SECRET; the browser's <altcha-widget> finds the counter (about 1-3 s
// of PBKDF2 work); the server checks signature, expiry and solution, and claims the challenge's
// signature in the rate-limit store so one solution is accepted once, on every instance.

export const CAPTCHA_ALGORITHM = "PBKDF2/SHA-256";
const CAPTCHA_TTL_SECONDS = 5 * 60;

/** Work per challenge: the solver tries counters 0..counter, each a PBKDF2 of `cost` rounds. */
export type CaptchaDifficulty = { cost: number; minCounter: number; maxCounter: number };
export const DEFAULT_DIFFICULTY: CaptchaDifficulty = {
  cost: 500,
  minCounter: 1_500,
  maxCounter: 5_000,
};

function secrets() {
  const authSecret = process.env.AUTH_SECRET;
  if (!authSecret || authSecret.length < 32) throw new Error("AUTH_SECRET is not set");
  // Separate keys derived from AUTH_SECRET, so a CAPTCHA signature can never stand for anything else.
  const derive = (label: string) => createHmac("sha256", authSecret).update(label).digest("hex");
  return {
    hmacSignatureSecret: derive("tessera.captcha.challenge.v1"),
    hmacKeySignatureSecret: derive("tessera.captcha.key.v1"),
  };
}

export async function createCaptchaChallenge(
  difficulty: CaptchaDifficulty = DEFAULT_DIFFICULTY,
): Promise<Challenge> {
  return createChallenge({
    algorithm: CAPTCHA_ALGORITHM,
    cost: difficulty.cost,
    counter: randomInt(difficulty.maxCounter, difficulty.minCounter),
    deriveKey,
    expiresAt: Math.floor(Date.now() / 1000) + CAPTCHA_TTL_SECONDS,
    ...secrets(),
  });
}

export type CaptchaVerdict = "ok" | "missing" | "invalid" | "expired" | "replayed";

type Payload = { challenge: Challenge; solution: { counter: number; derivedKey: string } };

function decode(raw: unknown): Payload | null {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 4096) return null;
  try {
    const parsed = JSON.parse(Buffer.from(raw, "base64").toString("utf8")) as Payload;
    if (typeof parsed?.challenge?.signature !== "string") return null;
    if (typeof parsed.challenge.parameters !== "object" || parsed.challenge.parameters === null)
      return null;
    return parsed;
  } catch {
    return null;
  }
}

/**
 * Verifies the widget's payload (base64 JSON of challenge + solution). A solution is accepted
 * once: the challenge signature is claimed in the shared store until the challenge expires.
 */
export async function verifyCaptcha(raw: unknown, store: RateLimitStore): Promise<CaptchaVerdict> {
  if (raw === undefined || raw === null || raw === "") return "missing";
  const payload = decode(raw);
  if (!payload) return "invalid";
  const { challenge, solution } = payload;
  if (!challenge.parameters.expiresAt) return "invalid"; // ours always expire
  let result;
  try {
    result = await verifySolution({ challenge, solution, deriveKey, ...secrets() });
  } catch {
    return "invalid";
  }
  if (result.expired) return "expired";
  if (!result.verified) return "invalid";
  const ttlMs = Math.max(1000, challenge.parameters.expiresAt * 1000 - Date.now() + 60_000);
  const id = createHash("sha256").update(challenge.signature!).digest("hex").slice(0, 40);
  return (await store.claim(`captcha-used:${id}`, ttlMs)) ? "ok" : "replayed";
}
