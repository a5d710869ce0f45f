import "server-only";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { INVALID_INPUT_MESSAGE, type ActionResult, type FieldErrors } from "@/lib/action-result";
import { requireUser, type SessionUser } from "@/lib/auth/guards";
import { readReauthToken } from "@/lib/auth/reauth";
import { assertCan, type Permission } from "@/lib/auth/permissions";
import {
  AppError,
  ForbiddenError,
  MfaEnrollmentRequiredError,
  PasswordChangeRequiredError,
  UnauthenticatedError,
} from "@/lib/errors";
import { requestLogger } from "@/lib/logger";
import { observeAction, type ActionOutcome } from "@/lib/metrics/registry";
import { getRequestContext, type RequestContext } from "@/lib/request-context";
import { recordRefusal } from "@/lib/security/refusals";
import type { ServiceContext } from "@/lib/service-context";

export type { ActionFailure, ActionResult, FieldErrors } from "@/lib/action-result";

type ActionConfig<S extends z.ZodType, T> = {
  /** Audit action name used when an attempt is refused, e.g. "ticket.create". */
  name: string;
  schema: S;
  permission: Permission;
  /**
   * Open to a user who must still replace a one-time password. Only the password change itself
   * and signing out set this; every other action is refused until then.
   */
  allowDuringPasswordChange?: boolean;
  /** Gets the context every service takes (lib/service-context.ts): pass it on as it is. */
  handler: (input: z.output<S>, ctx: ServiceContext) => Promise<T>;
};

const GENERIC_ERROR = "Something went wrong on our side. Please try again.";

function toPlainInput(raw: unknown): unknown {
  if (raw instanceof FormData) {
    const out: Record<string, FormDataEntryValue> = {};
    for (const [key, value] of raw.entries()) if (!key.startsWith("$ACTION")) out[key] = value;
    return out;
  }
  return raw;
}

/**
 * The one wrapper every server action goes through:
 * parse with the shared schema -> requireUser() (database re-check) -> permission -> a due
 * password change (only the change itself and sign-out are open) -> MFA enrollment (staff
 * without MFA may only use "account:manage") -> handler, which gets the
 * ServiceContext (the re-read user as `actor`, the request, the reauth cookie) for its services.
 * Expected errors become messages; anything else is logged with the request id and answered
 * generically. Input values are never echoed back, only messages.
 */
export function defineAction<S extends z.ZodType, T>(config: ActionConfig<S, T>) {
  // Every call is counted and timed by name and outcome (lib/metrics). Only redirect() and
  // notFound() leave run() by throwing (unstable_rethrow below): outcome "redirect".
  return async function action(raw: unknown): Promise<ActionResult<T>> {
    const started = process.hrtime.bigint();
    let outcome: ActionOutcome = "redirect";
    try {
      const [result, ended] = await run(raw);
      outcome = ended;
      return result;
    } finally {
      observeAction(config.name, outcome, started);
    }
  };

  async function run(raw: unknown): Promise<[ActionResult<T>, ActionOutcome]> {
    const request = await getRequestContext();
    const log = requestLogger(request.requestId, { action: config.name });
    let user: SessionUser | null = null;
    try {
      const parsed = config.schema.safeParse(toPlainInput(raw));
      if (!parsed.success) {
        const flat = z.flattenError(parsed.error);
        const formError = flat.formErrors[0] ?? INVALID_INPUT_MESSAGE;
        return [{ ok: false, formError, fieldErrors: flat.fieldErrors as FieldErrors }, "invalid"];
      }
      user = await requireUser();
      assertAccess(user, config.permission, {
        allowDuringPasswordChange: config.allowDuringPasswordChange === true,
      });
      const data = await config.handler(parsed.data, {
        actor: user,
        request,
        reauthToken: await readReauthToken(),
      });
      return [{ ok: true, data }, "ok"];
    } catch (error) {
      unstable_rethrow(error); // redirect() and notFound() are control flow, not failures
      if (error instanceof ForbiddenError || error instanceof UnauthenticatedError) {
        await auditRefusal(config.name, user, request, error);
        return [{ ok: false, formError: error.message }, "refused"];
      }
      if (error instanceof AppError) {
        return [
          { ok: false, formError: error.message, fieldErrors: error.fieldErrors },
          "rejected",
        ];
      }
      log.error({ err: error, userId: user?.id }, "action failed");
      const formError = `${GENERIC_ERROR} (reference ${request.requestId})`;
      return [{ ok: false, formError }, "error"];
    }
  }
}

/**
 * The permission, then a due password change (a one-time password opens nothing but the change
 * itself and sign-out, as on the pages), then MFA enrollment: staff who must use MFA and have not
 * set it up may only manage their own account.
 */
function assertAccess(
  user: SessionUser,
  permission: Permission,
  options: { allowDuringPasswordChange: boolean } = { allowDuringPasswordChange: false },
): void {
  assertCan(user, permission);
  if (user.mustChangePassword && !options.allowDuringPasswordChange) {
    throw new PasswordChangeRequiredError();
  }
  if (user.mfaEnrollmentRequired && permission !== "account:manage") {
    throw new MfaEnrollmentRequiredError();
  }
}

export type Refusal = ForbiddenError | UnauthenticatedError;

/**
 * For route handlers (which are not server actions): the wrapper's checks — requireUser(), the
 * permission, a due password change, MFA enrollment — and, on a refusal, the wrapper's audit of it. Returns the user,
 * or the refusal (already audited) for the handler to answer with 401/403.
 */
export async function authorizeRequest(
  name: string,
  permission: Permission,
  request: RequestContext,
): Promise<{ user: SessionUser } | { refusal: Refusal }> {
  let user: SessionUser | null = null;
  try {
    user = await requireUser();
    assertAccess(user, permission);
    return { user };
  } catch (error) {
    if (!(error instanceof ForbiddenError || error instanceof UnauthenticatedError)) throw error;
    await auditRefusal(name, user, request, error);
    return { refusal: error };
  }
}

/**
 * The audit of a refused attempt (an "Action" event, outcome REFUSED, with the reason) and its
 * "access.refused" security event, committed together; repeats from the same source within a
 * window are only counted and summarised once (lib/security/refusals.ts). Never throws: a
 * failure is logged, and the refusal stands.
 */
export async function auditRefusal(
  name: string,
  user: SessionUser | null,
  request: RequestContext,
  error: Refusal,
): Promise<void> {
  await writeRefusal(name, user, request, error).catch((e) =>
    requestLogger(request.requestId, { action: name }).error({ err: e }, "audit of refusal failed"),
  );
}

async function writeRefusal(
  name: string,
  user: SessionUser | null,
  request: RequestContext,
  error: Refusal,
) {
  const reason =
    error instanceof UnauthenticatedError
      ? "unauthenticated"
      : error instanceof MfaEnrollmentRequiredError
        ? "mfa_enrollment_required"
        : error instanceof PasswordChangeRequiredError
          ? "password_change_required"
          : "forbidden";
  // The audit row and the outbox rows for the SIEM/chat commit together; repeated refusals of
  // the same action for the same reason from the same user (or, signed out, ip) are aggregated
  // per window (lib/security/refusals.ts): one full row, then one summary with the count.
  await recordRefusal({
    key: ["refused", name, reason, user ? `u:${user.id}` : `ip:${request.ip ?? "-"}`],
    audit: {
      actor: user,
      action: name,
      entityType: "Action",
      entityId: null,
      outcome: "REFUSED",
      metadata: { reason },
      context: request,
    },
    alert: {
      type: "access.refused",
      fields: {
        action: name,
        reason,
        userId: user?.id ?? null,
        role: user?.role ?? null,
        ...request,
      },
    },
  });
}
