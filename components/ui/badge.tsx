import type { ComponentProps } from "react";
import type { Role } from "@/lib/auth/permissions";
import { cn } from "./cn";

const tones = {
  neutral:
    "bg-slate-100 text-slate-700 ring-slate-300 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-600",
  info: "bg-sky-50 text-sky-800 ring-sky-300 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-800",
  success:
    "bg-green-50 text-green-800 ring-green-300 dark:bg-green-950 dark:text-green-200 dark:ring-green-800",
  warning:
    "bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800",
  danger: "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800",
  accent:
    "bg-indigo-50 text-indigo-800 ring-indigo-300 dark:bg-indigo-950 dark:text-indigo-200 dark:ring-indigo-800",
} as const;

export type BadgeTone = keyof typeof tones;

export type BadgeProps = ComponentProps<"span"> & { tone?: BadgeTone };

/** A small label for roles and statuses. Its text must carry the meaning; colour only helps. */
export function Badge({ tone = "neutral", className, ...rest }: BadgeProps) {
  return (
    <span
      className={cn(
        "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset",
        tones[tone],
        className,
      )}
      {...rest}
    />
  );
}

export const roleLabels: Record<Role, string> = {
  ADMIN: "Admin",
  TECHNICIAN: "Technician",
  USER: "User",
};

const roleTones: Record<Role, BadgeTone> = { ADMIN: "accent", TECHNICIAN: "info", USER: "neutral" };

export function RoleBadge({ role, className }: { role: Role; className?: string }) {
  return (
    <Badge tone={roleTones[role]} className={className}>
      {roleLabels[role]}
    </Badge>
  );
}
