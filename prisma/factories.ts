// Data shared by the demo seed and the tests: the demo accounts and categories, and factories
// that create valid rows with unique values. Script-safe (no "server-only"), client passed in.
import { randomBytes } from "node:crypto";
import type { Db, Tx } from "@/lib/db";
import { hashPassword } from "@/lib/users/password";
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
}>;

/** Writes a user directly (not audited; use createUser from lib/users/service for that). */
export async function makeUser(
  db: Client,
  overrides: UserOverrides = {},
): Promise<UserSummary & { password: string }> {
  const suffix = uniqueSuffix();
  const password = overrides.password ?? FACTORY_PASSWORD;
  const passwordHash =
    overrides.password === undefined
      ? await (factoryHash ??= hashPassword(FACTORY_PASSWORD))
      : await hashPassword(password);
  const user = await db.user.create({
    data: {
      email: (overrides.email ?? `user-${suffix}@example.test`).toLowerCase(),
      name: overrides.name ?? `Test User ${suffix}`,
      role: overrides.role ?? "USER",
      active: overrides.active ?? true,
      mustChangePassword: overrides.mustChangePassword ?? false,
      sessionVersion: overrides.sessionVersion ?? 1,
      passwordHash,
    },
    select: USER_SUMMARY_SELECT,
  });
  return { ...user, password };
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
