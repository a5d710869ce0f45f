// Shared by the root layout (server) and the toggle (browser): no server-only imports here.

export const THEME_COOKIE = "theme";
export const THEMES = ["light", "dark", "system"] as const;
export type Theme = (typeof THEMES)[number];

/** Anything unknown (a missing or tampered cookie) falls back to following the OS. */
export function parseTheme(value: string | undefined | null): Theme {
  return THEMES.find((t) => t === value) ?? "system";
}

/** The class for <html>: globals.css keys its dark variant on `.dark` / `.light` / neither. */
export function themeClass(theme: Theme): string | undefined {
  return theme === "system" ? undefined : theme;
}
