export type ClassValue = string | false | null | undefined | 0;

/**
 * Joins class names, skipping falsy values. Deliberately tiny (no tailwind-merge): components put
 * the caller's `className` last, so prefer classes that do not conflict with a component's own.
 */
export function cn(...classes: ClassValue[]): string {
  return classes.filter(Boolean).join(" ");
}
