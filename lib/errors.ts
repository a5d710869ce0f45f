// Expected errors: the action wrapper turns these into messages for the person; anything else is
// logged with a request id and answered generically.
import { plural } from "@/lib/dates";

export class AppError extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(message = "Not found.") {
    super(message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = "You are not allowed to do that.") {
    super(message);
  }
}

/** A staff account without MFA: only its own account settings are open until it enrolls. */
export class MfaEnrollmentRequiredError extends ForbiddenError {
  constructor() {
    super("Set up two-factor authentication first (Account → Two-factor authentication).");
  }
}

/** A one-time password (new account, admin reset) must be replaced before anything else. */
export class PasswordChangeRequiredError extends ForbiddenError {
  constructor() {
    super("Choose a new password first (Account → Password).");
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = "Please sign in again.") {
    super(message);
  }
}

export class ConflictError extends AppError {
  constructor(message = "This was changed since you opened it. Reload and try again.") {
    super(message);
  }
}

export class ValidationError extends AppError {}

/**
 * Runs fn; a unique-index violation (Prisma P2002: two writers passed the same check at once,
 * the index decided) becomes a ValidationError with `message` on `field`.
 */
export async function uniqueAsFieldError<T>(
  field: string,
  message: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === "P2002")
      throw new ValidationError(message, { [field]: [message] });
    throw error;
  }
}

export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      `Too many attempts. Try again in ${plural(retryAfterSeconds, "second", "seconds", { grouping: false })}.`,
    );
  }
}
