import Link from "next/link";
import type { ReactNode } from "react";
import { RoleBadge } from "@/components/ui/badge";
import { SubmitButton } from "@/components/ui/submit-button";
import type { Role } from "@/lib/auth/permissions";
import { MobileMenu } from "./mobile-menu";
import { navItemsFor } from "./nav-items";
import { NavLinks, type NavLink } from "./nav-links";
import { ThemeSwitcher } from "./theme-switcher";

export type AppShellUser = { name: string; email: string; role: Role };

export type AppShellProps = {
  user: AppShellUser;
  /** Server action that ends the session (lib/auth/actions.ts: signOutAction). */
  signOutAction: () => Promise<void>;
  /** Shows the demo banner (embedded mode with seeded sample accounts). */
  demo?: boolean;
  /** The demo relaxed MFA for staff (TESSERA_STAFF_MFA=optional): say so on every page. */
  staffMfaOptional?: boolean;
  children: ReactNode;
};

function SignOutForm({ action, fullWidth }: { action: () => Promise<void>; fullWidth?: boolean }) {
  return (
    <form action={action}>
      <SubmitButton variant="secondary" size="sm" fullWidth={fullWidth}>
        Sign out
      </SubmitButton>
    </form>
  );
}

/** The signed-in frame: header (brand, user, theme, sign out), role-driven nav, main content. */
export function AppShell({
  user,
  signOutAction,
  demo = false,
  staffMfaOptional = false,
  children,
}: AppShellProps) {
  // Plain data for the client nav: only what the role may use.
  const links: NavLink[] = navItemsFor(user).map(({ href, label, section }) => ({
    href,
    label,
    section,
  }));

  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only rounded-md bg-surface px-4 py-2 text-fg shadow focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50"
      >
        Skip to content
      </a>
      {demo && (
        <p
          className="bg-amber-100 px-4 py-1.5 text-center text-sm text-amber-950 dark:bg-amber-900/60 dark:text-amber-100"
          data-testid="demo-banner"
        >
          <strong className="font-semibold">Demo mode:</strong> sample accounts and data. Do not use
          in production.
        </p>
      )}
      {staffMfaOptional && (
        <p
          className="bg-amber-100 px-4 py-1.5 text-center text-sm text-amber-950 dark:bg-amber-900/60 dark:text-amber-100"
          data-testid="demo-mfa-banner"
        >
          <strong className="font-semibold">Demo mode:</strong> two-factor authentication is
          optional for staff. Production requires it.
        </p>
      )}
      <header className="relative border-b border-line bg-surface">
        <div className="mx-auto flex h-16 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6 lg:px-8">
          <Link
            href="/"
            className="flex min-h-11 items-center gap-2 rounded-md text-lg font-semibold tracking-tight text-fg"
          >
            <TesseraMark />
            Tessera
          </Link>

          <div className="hidden items-center gap-3 sm:flex">
            <div className="flex min-w-0 items-center gap-2 text-sm">
              <span className="max-w-48 truncate font-medium text-fg" title={user.email}>
                {user.name}
              </span>
              <RoleBadge role={user.role} />
            </div>
            <ThemeSwitcher />
            <SignOutForm action={signOutAction} />
          </div>

          <div className="sm:hidden">
            <MobileMenu>
              <div className="mb-3 border-b border-line pb-3">
                <p className="flex items-center gap-2">
                  <span className="min-w-0 truncate font-medium text-fg">{user.name}</span>
                  <RoleBadge role={user.role} />
                </p>
                <p className="truncate text-sm text-fg-muted">{user.email}</p>
              </div>
              <nav aria-label="Main">
                <NavLinks items={links} variant="menu" />
              </nav>
              <div className="mt-4 space-y-3 border-t border-line pt-4">
                <ThemeSwitcher showLabels className="flex w-full" />
                <SignOutForm action={signOutAction} fullWidth />
              </div>
            </MobileMenu>
          </div>
        </div>

        <nav aria-label="Main" className="hidden border-t border-line sm:block">
          <div className="mx-auto max-w-6xl px-2 sm:px-4 lg:px-6">
            <NavLinks items={links} variant="bar" />
          </div>
        </nav>
      </header>

      <main
        id="main"
        tabIndex={-1}
        className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 focus-visible:outline-none sm:px-6 lg:px-8"
      >
        {children}
      </main>
    </div>
  );
}

/** The mosaic mark, same drawing as app/icon.svg. */
export function TesseraMark({ className }: { className?: string }) {
  return (
    <svg className={className ?? "size-7"} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="7" className="fill-primary" />
      <rect x="7" y="7" width="8" height="8" rx="1.5" fill="#fff" />
      <rect x="17" y="7" width="8" height="8" rx="1.5" fill="#fff" opacity=".65" />
      <rect x="7" y="17" width="8" height="8" rx="1.5" fill="#fff" opacity=".65" />
      <rect x="17" y="17" width="8" height="8" rx="1.5" fill="#fff" />
    </svg>
  );
}
