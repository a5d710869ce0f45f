import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell/app-shell";
import { KeyboardShortcuts } from "@/components/keyboard/keyboard-shortcuts";
import { signOutAction } from "@/lib/auth/actions";
import { requirePageUser } from "@/lib/auth/guards";
import { can } from "@/lib/auth/permissions";
import { env } from "@/lib/env";

// Every page below re-checks the user against the database (requirePageUser), whatever the
// middleware decided: a deactivated user's still-valid cookie ends here.
export default async function AppLayout({ children }: { children: ReactNode }) {
  // Each page applies the password-change and MFA-enrollment redirects itself.
  const user = await requirePageUser({ allowPasswordChange: true, allowMfaEnrollment: true });
  return (
    <AppShell
      user={user}
      signOutAction={signOutAction}
      demo={env().TESSERA_DEMO}
      staffMfaOptional={env().TESSERA_STAFF_MFA === "optional"}
    >
      {children}
      {/* j/k, r, n, a, g u, "?" (components/keyboard): staff get the triage ones too. */}
      <KeyboardShortcuts staff={can(user, "ticket:triage")} />
    </AppShell>
  );
}
