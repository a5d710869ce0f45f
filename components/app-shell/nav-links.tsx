"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useId } from "react";
import { cn } from "@/components/ui/cn";
import { isActivePath } from "./nav-items";

export type NavLink = { href: string; label: string; section: "main" | "admin" | "account" };

const styles = {
  bar: {
    list: "flex flex-wrap items-center gap-x-1",
    link: "inline-flex min-h-11 items-center border-b-2 px-3 text-sm font-medium",
    active: "border-primary text-fg",
    idle: "border-transparent text-fg-muted hover:border-line-strong hover:text-fg",
    heading:
      "ml-2 border-l border-line pl-3 text-xs font-semibold tracking-wide text-fg-muted uppercase",
  },
  menu: {
    list: "flex flex-col",
    link: "flex min-h-11 items-center rounded-md px-3 text-base font-medium",
    active: "bg-surface-muted text-fg",
    idle: "text-fg-muted hover:bg-surface-muted hover:text-fg",
    heading: "mt-3 px-3 pb-1 text-xs font-semibold tracking-wide text-fg-muted uppercase",
  },
} as const;

/**
 * Links with aria-current on the current page; the "admin" section gets its own heading. The
 * "account" links are shown only where asked (`sections`): the account menu, the phone menu.
 */
export function NavLinks({
  items,
  variant,
  sections = ["main", "admin"],
}: {
  items: NavLink[];
  variant: "bar" | "menu";
  sections?: readonly NavLink["section"][];
}) {
  const pathname = usePathname();
  const idPrefix = useId();
  const s = styles[variant];
  const groups = sections
    .map((section) => ({ section, links: items.filter((i) => i.section === section) }))
    .filter((g) => g.links.length > 0);

  return (
    <div className={cn(variant === "bar" && "flex flex-wrap items-center")}>
      {groups.map(({ section, links }) => (
        <div key={section} className={cn(variant === "bar" && "flex flex-wrap items-center")}>
          {section !== "main" && (
            <p className={s.heading} id={`${idPrefix}-${section}`}>
              {section === "admin" ? "Admin" : "Account"}
            </p>
          )}
          <ul
            className={s.list}
            aria-labelledby={section !== "main" ? `${idPrefix}-${section}` : undefined}
          >
            {links.map((item) => {
              const active = isActivePath(item.href, pathname);
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    aria-current={active ? "page" : undefined}
                    className={cn(s.link, active ? s.active : s.idle)}
                  >
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </div>
  );
}
