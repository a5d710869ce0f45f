import type { Permission, Role } from "@/lib/auth/permissions";
import { can, canOnAny } from "@/lib/auth/permissions";

export type NavItem = {
  href: string;
  label: string;
  /** null: any signed-in user. */
  permission: Permission | null;
  /** "account": the account menu (one's own settings), not the main navigation. */
  section: "main" | "admin" | "account";
  /** Shown instead of `label` to who has the permission on everyone's objects (not "my" tickets). */
  staffLabel?: string;
};

// The single source of the navigation. Hiding an item is a convenience only: every page and
// action checks the same permission on the server.
export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Home", permission: null, section: "main" },
  {
    href: "/tickets",
    label: "My tickets",
    staffLabel: "Tickets",
    permission: "ticket:read",
    section: "main",
  },
  { href: "/reports", label: "Reports", permission: "reports:read", section: "main" },
  {
    href: "/account/password",
    label: "Change password",
    permission: "account:manage",
    section: "account",
  },
  {
    href: "/account/notifications",
    label: "Email notifications",
    permission: "account:manage",
    section: "account",
  },
  {
    href: "/account/mfa",
    label: "Two-factor authentication",
    permission: "account:manage",
    section: "account",
  },
  {
    href: "/account/tokens",
    label: "API tokens",
    permission: "apitoken:manage",
    section: "account",
  },
  // Staff's own reply snippets (and the shared ones): in the account menu, so the main bar of an
  // admin still fits a 1280 px screen.
  {
    href: "/canned-responses",
    label: "Canned responses",
    permission: "canned:use",
    section: "account",
  },
  { href: "/admin/users", label: "Users", permission: "user:manage", section: "admin" },
  {
    href: "/admin/categories",
    label: "Categories",
    permission: "category:manage",
    section: "admin",
  },
  { href: "/admin/audit", label: "Audit log", permission: "audit:read", section: "admin" },
  { href: "/admin/email", label: "Email", permission: "email:read", section: "admin" },
  {
    href: "/admin/security",
    label: "Security",
    permission: "security:anomalies",
    section: "admin",
  },
  {
    href: "/admin/service-levels",
    label: "Service levels",
    permission: "sla:manage",
    section: "admin",
  },
  { href: "/admin/webhooks", label: "Webhooks", permission: "webhook:manage", section: "admin" },
  { href: "/admin/settings", label: "Settings", permission: "settings:manage", section: "admin" },
];

/** The items a user with this role may see, in display order. */
export function navItemsFor(user: { role: Role }): NavItem[] {
  return NAV_ITEMS.filter((item) => item.permission === null || can(user, item.permission)).map(
    (item) =>
      item.staffLabel && item.permission && canOnAny(user, item.permission)
        ? { ...item, label: item.staffLabel }
        : item,
  );
}

/** "/" matches only itself; other items also match their sub-pages ("/tickets/42"). */
export function isActivePath(href: string, pathname: string): boolean {
  if (href === "/") return pathname === "/";
  return pathname === href || pathname.startsWith(`${href}/`);
}
