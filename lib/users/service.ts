// Creating accounts: validates, writes and audits in ONE transaction. The admin's user management
// is in lib/users/admin-service.ts, one's own password change in lib/users/account.ts.
//
// No `import "server-only"`: the seed and `npm run user:create` run these under tsx, where the
// marker throws. Nothing here reads the environment or opens a connection; the caller passes
// the Prisma client (the app passes `db` from lib/db.ts, scripts their own client).
import { z } from "zod";
import type { Db, Tx } from "@/lib/db";
import { recordAudit, type AuditActor, type AuditContext } from "@/lib/audit";
import { uniqueAsFieldError, ValidationError } from "@/lib/errors";
import { hashPassword } from "@/lib/auth/password";
import { UserCreateSchema, type UserCreateInput } from "@/lib/users/schemas";

export const USER_SUMMARY_SELECT = {
  id: true,
  email: true,
  name: true,
  role: true,
  active: true,
  mustChangePassword: true,
  sessionVersion: true,
  createdAt: true,
} as const;

export type UserSummary = {
  id: string;
  email: string;
  name: string;
  role: "ADMIN" | "TECHNICIAN" | "USER";
  active: boolean;
  mustChangePassword: boolean;
  sessionVersion: number;
  createdAt: Date;
};

export type AuditOptions = {
  /** Who creates the account; null/absent = the system (seed, CLI). */
  actor?: AuditActor | null;
  context?: AuditContext | null;
  /** Extra audit metadata, e.g. `{ via: "cli" }`. */
  metadata?: Record<string, unknown>;
  /**
   * The bcrypt hash of `input.password`, already computed (the demo seed hashes its one shared
   * password once for all its accounts). Trusted as is: pass only a hash of that password.
   */
  passwordHash?: string;
};

const DUPLICATE_EMAIL = "An account with this email address already exists.";

function invalid(error: z.ZodError): ValidationError {
  return new ValidationError(
    "Check the highlighted fields.",
    z.flattenError(error).fieldErrors as Record<string, string[]>,
  );
}

/**
 * Creates an account and its "user.create" audit event atomically. `client` may be the
 * PrismaClient (a transaction is opened) or a transaction client (the caller's transaction is
 * used; bcrypt then runs inside it). Duplicate email -> ValidationError with fieldErrors.email.
 */
export async function createUser(
  client: Db | Tx,
  input: UserCreateInput,
  options: AuditOptions = {},
): Promise<UserSummary> {
  const parsed = UserCreateSchema.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error);
  const data = parsed.data;
  // Slow: outside the transaction when we can.
  const passwordHash = options.passwordHash ?? (await hashPassword(data.password));

  const write = async (tx: Tx): Promise<UserSummary> => {
    const existing = await tx.user.findUnique({
      where: { email: data.email },
      select: { id: true },
    });
    if (existing) throw new ValidationError(DUPLICATE_EMAIL, { email: [DUPLICATE_EMAIL] });
    const user = await tx.user.create({
      data: {
        email: data.email,
        name: data.name,
        role: data.role,
        passwordHash,
        mustChangePassword: data.mustChangePassword,
        kind: data.kind,
      },
      select: USER_SUMMARY_SELECT,
    });
    await recordAudit(tx, {
      actor: options.actor ?? null,
      action: "user.create",
      entityType: "User",
      entityId: user.id,
      outcome: "SUCCESS",
      after: {
        email: user.email,
        name: user.name,
        role: user.role,
        active: user.active,
        mustChangePassword: user.mustChangePassword,
        ...(data.kind === "SERVICE" && { kind: data.kind }),
      },
      metadata: options.metadata,
      context: options.context,
    });
    return user;
  };

  // Two concurrent creations of the same email: the unique index decides.
  return uniqueAsFieldError("email", DUPLICATE_EMAIL, () =>
    "$transaction" in client ? client.$transaction(write) : write(client),
  );
}
