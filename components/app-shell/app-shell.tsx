import Link from "next/link";
import type { ReactNode } from "react";
import { RoleBadge } from "@/components/ui/badge";
import { SubmitButton } from "@/components/ui/submit-button";
import type { Role } from "@/lib/auth/permissions";
import { AccountMenu } from "./account-menu";
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

const ACCOUNT_ONLY = ["account"] as const;
const ALL_SECTIONS = ["main", "admin", "account"] as const;

/**
 * One compact line (a phone keeps its screen): demo data, and whether staff MFA was relaxed.
 * The full wording is in the title.
 */
function DemoBanner({ demo, staffMfaOptional }: { demo: boolean; staffMfaOptional: boolean }) {
  if (!demo && !staffMfaOptional) return null;
  const parts = [demo && "sample data", staffMfaOptional && "staff 2FA optional"].filter(Boolean);
  return (
    <p
      className="truncate bg-amber-100 px-3 py-1 text-center text-xs text-amber-950 sm:text-sm dark:bg-amber-900/60 dark:text-amber-100"
      data-testid="demo-banner"
      title={`Demo mode: ${parts.join("; ")}. Do not use in production${staffMfaOptional ? "; production requires two-factor authentication for staff" : ""}.`}
    >
      <strong className="font-semibold">Demo:</strong> {parts.join(", ")}. Not for production.
    </p>
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
  const accountLinks = links.filter((link) => link.section === "account");

  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only rounded-md bg-surface px-4 py-2 text-fg shadow focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50"
      >
        Skip to content
      </a>
      <header className="relative border-b border-line bg-surface">
        {/* Inside the banner landmark: all content sits in a landmark (axe: region). */}
        <DemoBanner demo={demo} staffMfaOptional={staffMfaOptional} />
        <div className="mx-auto flex h-16 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6 lg:px-8">
          <Link
            href="/"
            className="flex min-h-11 items-center gap-2 rounded-md text-lg font-semibold tracking-tight text-fg"
          >
            <TesseraMark />
            Tessera
          </Link>

          <div className="hidden items-center gap-3 sm:flex">
            <ThemeSwitcher />
            <AccountMenu
              label={
                <>
                  <span className="sr-only">Account menu for </span>
                  <span className="max-w-48 truncate">{user.name}</span>
                  <RoleBadge role={user.role} />
                </>
              }
            >
              <p className="truncate px-3 pt-1 pb-2 text-sm text-fg-muted">{user.email}</p>
              {accountLinks.length > 0 && (
                <nav aria-label="Account">
                  <NavLinks items={accountLinks} variant="menu" sections={ACCOUNT_ONLY} />
                </nav>
              )}
              <div className="mt-2 border-t border-line pt-2">
                <SignOutForm action={signOutAction} fullWidth />
              </div>
            </AccountMenu>
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
                <NavLinks items={links} variant="menu" sections={ALL_SECTIONS} />
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
