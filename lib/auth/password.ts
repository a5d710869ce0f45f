// Password hashing. No "server-only" marker: the seed and `npm run user:create` (tsx) need it,
// and it holds no secret; BCRYPT_COST is read from process.env directly for the same reason.
import { createHash, randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";

export {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_RECOMMENDED_LENGTH,
  PasswordSchema,
  isCommonPassword,
  passwordLength,
} from "@/lib/auth/password-policy";

export const DEFAULT_BCRYPT_COST = 10;

/** BCRYPT_COST from the environment: an integer from 10 to 14, default 10. */
export function bcryptCost(): number {
  const raw = process.env.BCRYPT_COST;
  if (raw === undefined || raw.trim() === "") return DEFAULT_BCRYPT_COST;
  const cost = Number(raw);
  if (!Number.isInteger(cost) || cost < 10 || cost > 14) {
    throw new Error(`BCRYPT_COST must be an integer from 10 to 14 (got "${raw}")`);
  }
  return cost;
}

/**
 * bcrypt reads at most 72 bytes and silently ignores the rest, while the policy allows 128
 * characters (up to 512 bytes of UTF-8). So bcrypt never sees the password itself but
 * base64(sha256(label + NFKC(password))): 44 ASCII bytes, no NUL bytes, every input byte
 * counts. NFKC makes the same password typed on different systems match (NIST 800-63B); the
 * label keeps these digests distinct from plain sha256 digests leaked elsewhere.
 */
export function prehashPassword(password: string): string {
  return createHash("sha256")
    .update(`tessera.password.v1:${password.normalize("NFKC")}`, "utf8")
    .digest("base64");
}

/** Hashes a password that the caller has already validated with PasswordSchema. */
export async function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(prehashPassword(password), bcryptCost());
}

const BCRYPT_HASH = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (!BCRYPT_HASH.test(hash)) {
    await verifyAgainstDummy(password); // a malformed stored hash must not answer faster
    return false;
  }
  return bcrypt.compare(prehashPassword(password), hash);
}

// Made at the configured cost on first use, so an unknown account costs exactly as much as a
// known one even when BCRYPT_COST is raised.
let dummyHash: Promise<string> | undefined;

/** Spends the time of one verifyPassword for an account that does not exist; always false. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= bcrypt.hash(randomBytes(16).toString("base64"), bcryptCost());
  await bcrypt.compare(prehashPassword(password), await dummyHash);
  return false;
}

/** True when the hash was made with a lower cost than configured now (rehash at next sign-in). */
export function passwordNeedsRehash(hash: string): boolean {
  return !BCRYPT_HASH.test(hash) || bcrypt.getRounds(hash) < bcryptCost();
}
