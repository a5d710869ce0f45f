"use client";
import { useState } from "react";
import { ConfirmButton } from "@/components/admin/confirm-button";
import { OneTimePassword } from "@/components/admin/one-time-password";
import { ConfirmPasswordForm } from "@/components/forms/confirm-password-form";
import { useAction } from "@/components/forms/use-action";
import { UserRoleForm } from "@/components/forms/user-role-form";
import { FormMessage } from "@/components/ui/form-message";
import type { Role } from "@/lib/auth/permissions";
import {
  resetUserMfaAction,
  resetUserPasswordAction,
  setUserActiveAction,
  signOutUserEverywhereAction,
} from "@/lib/users/actions";

type Target = {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  mfaEnabled?: boolean;
  /** A service account (ADR 025): no password or MFA to reset. */
  service?: boolean;
};

/**
 * The account's actions. Role, status and password resets need a fresh password confirmation
 * (the server checks it; `fresh` only decides what to show).
 */
export function UserAdminPanel({
  user,
  fresh,
  isSelf,
}: {
  user: Target;
  fresh: boolean;
  isSelf: boolean;
}) {
  const { run, pending, status } = useAction({ refresh: true });
  const [otp, setOtp] = useState<string | null>(null);
  const saying = (message: string) => ({ onSuccess: () => message });

  return (
    <div className="space-y-6">
      <FormMessage status={status} />
      {otp && <OneTimePassword email={user.email} password={otp} />}

      <section className="space-y-3" aria-labelledby="sessions-heading">
        <h3 id="sessions-heading" className="font-medium">
          Sessions
        </h3>
        <p className="text-sm text-fg-muted">
          Ends every session of this account on every device; they must sign in again.
        </p>
        <ConfirmButton
          label="Sign out everywhere"
          confirmLabel="Yes, sign out everywhere"
          question={`Sign ${user.name} out on every device?`}
          pending={pending}
          onConfirm={() =>
            run(
              () => signOutUserEverywhereAction({ userId: user.id }),
              saying("Every session was ended."),
            )
          }
        />
      </section>

      <section className="space-y-3" aria-labelledby="sensitive-heading">
        <h3 id="sensitive-heading" className="font-medium">
          Role, status, password and MFA
        </h3>
        {!fresh ? (
          <ConfirmPasswordForm />
        ) : (
          <div className="space-y-5">
            <UserRoleForm userId={user.id} role={user.role} />
            <div className="flex flex-wrap gap-3">
              {user.active ? (
                <ConfirmButton
                  label="Deactivate"
                  confirmLabel="Yes, deactivate"
                  question={`Deactivate ${user.name}? They are signed out at once.`}
                  variant="danger"
                  pending={pending}
                  disabled={isSelf}
                  onConfirm={() =>
                    run(
                      () => setUserActiveAction({ userId: user.id, active: false }),
                      saying("The account was deactivated."),
                    )
                  }
                />
              ) : (
                <ConfirmButton
                  label="Reactivate"
                  confirmLabel="Yes, reactivate"
                  question={`Let ${user.name} sign in again?`}
                  pending={pending}
                  onConfirm={() =>
                    run(
                      () => setUserActiveAction({ userId: user.id, active: true }),
                      saying("The account was reactivated."),
                    )
                  }
                />
              )}
              {!user.service && (
                <ConfirmButton
                  label="Reset password"
                  confirmLabel="Yes, reset the password"
                  question="Replace their password with a one-time password and end their sessions?"
                  pending={pending}
                  onConfirm={() =>
                    run(() => resetUserPasswordAction({ userId: user.id }), {
                      onSuccess: (data) => {
                        setOtp(data.oneTimePassword);
                        return "The password was reset.";
                      },
                    })
                  }
                />
              )}
              {user.mfaEnabled && (
                <ConfirmButton
                  label="Reset MFA"
                  confirmLabel="Yes, reset MFA"
                  question={`Turn off ${user.name}'s two-factor authentication and end their sessions? They set it up again at their next sign-in.`}
                  variant="danger"
                  pending={pending}
                  onConfirm={() =>
                    run(
                      () => resetUserMfaAction({ userId: user.id }),
                      saying("Two-factor authentication was reset."),
                    )
                  }
                />
              )}
            </div>
          </div>
        )}
      </section>
    </div>
  );
}
