// Data shared by the demo seed and the tests: the demo accounts and categories, and factories
// that create valid rows with unique values. Script-safe (no "server-only"), client passed in.
import { randomBytes } from "node:crypto";
import type { Db, Tx } from "@/lib/db";
import { encryptSecret } from "@/lib/auth/mfa/crypto";
import { decodeMfaKey } from "@/lib/auth/mfa/key";
import { generateTotpSecret, totpCode } from "@/lib/auth/mfa/totp";
import { hashPassword } from "@/lib/auth/password";
import { USER_SUMMARY_SELECT, type UserSummary } from "@/lib/users/service";

export const DEMO_PASSWORD = "tessera-demo-password";

export const DEMO_ACCOUNTS = [
  { email: "admin@demo.tessera", name: "Ada Admin", role: "ADMIN" },
  { email: "tech@demo.tessera", name: "Tom Technician", role: "TECHNICIAN" },
  { email: "user@demo.tessera", name: "Uma User", role: "USER" },
] as const;

export const DEMO_CATEGORIES = [
  "Hardware",
  "Software",
  "Network",
  "Access & accounts",
  "Other",
] as const;

/** Password of every factory-made user unless overridden; passes the password policy. */
export const FACTORY_PASSWORD = "factory-plum-kettle-orbit";

type Client = Db | Tx;

let sequence = 0;
/** Unique across processes and runs: tests share one database. */
export function uniqueSuffix(): string {
  sequence += 1;
  return `${Date.now().toString(36)}-${sequence}-${randomBytes(3).toString("hex")}`;
}

// bcrypt is slow on purpose; hash the shared factory password once per process.
let factoryHash: Promise<string> | undefined;

export type UserOverrides = Partial<{
  email: string;
  name: string;
  role: UserSummary["role"];
  password: string;
  active: boolean;
  mustChangePassword: boolean;
  sessionVersion: number;
  /** Staff (ADMIN, TECHNICIAN) are MFA-enrolled unless this is false; users only when true. */
  mfa: boolean;
}>;

export type FactoryUser = UserSummary & {
  password: string;
  /** The TOTP secret (base32) when the user was made MFA-enrolled, else null. */
  mfaSecret: string | null;
};

function factoryMfaKey(): Buffer {
  const key = decodeMfaKey(process.env.MFA_ENCRYPTION_KEY ?? "");
  if (!key) throw new Error("makeUser: MFA_ENCRYPTION_KEY must be set to make MFA-enrolled users");
  return key;
}

/** The current TOTP code of a factory user made with MFA (at `timestampMs`, default now). */
export function factoryTotp(user: { mfaSecret: string | null }, timestampMs = Date.now()): string {
  if (!user.mfaSecret) throw new Error("factoryTotp: this user has no MFA secret");
  return totpCode(user.mfaSecret, timestampMs);
}

/**
 * Writes a user directly (not audited; use createUser from lib/users/service for that). Staff
 * are MFA-enrolled by default (a random secret, returned as `mfaSecret`), as production requires.
 */
export async function makeUser(db: Client, overrides: UserOverrides = {}): Promise<FactoryUser> {
  const suffix = uniqueSuffix();
  const role = overrides.role ?? "USER";
  const mfa = overrides.mfa ?? role !== "USER";
  const mfaSecret = mfa ? generateTotpSecret() : null;
  const password = overrides.password ?? FACTORY_PASSWORD;
  const passwordHash =
    overrides.password === undefined
      ? await (factoryHash ??= hashPassword(FACTORY_PASSWORD))
      : await hashPassword(password);
  const user = await db.user.create({
    data: {
      email: (overrides.email ?? `user-${suffix}@example.test`).toLowerCase(),
      name: overrides.name ?? `Test User ${suffix}`,
      role,
      active: overrides.active ?? true,
      mustChangePassword: overrides.mustChangePassword ?? false,
      sessionVersion: overrides.sessionVersion ?? 1,
      passwordHash,
      ...(mfaSecret && {
        mfaSecret: encryptSecret(mfaSecret, factoryMfaKey()),
        mfaEnabledAt: new Date(),
      }),
    },
    select: USER_SUMMARY_SELECT,
  });
  return { ...user, password, mfaSecret };
}

export async function makeCategory(
  db: Client,
  overrides: Partial<{ name: string; position: number; archived: boolean }> = {},
): Promise<{ id: string; name: string; position: number; archived: boolean }> {
  return db.category.create({
    data: {
      name: overrides.name ?? `Category ${uniqueSuffix()}`,
      position: overrides.position ?? 100,
      archived: overrides.archived ?? false,
    },
    select: { id: true, name: true, position: true, archived: true },
  });
}
