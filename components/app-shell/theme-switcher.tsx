import { cookies } from "next/headers";
import { THEME_COOKIE, parseTheme } from "./theme";
import { ThemeToggle, type ThemeToggleProps } from "./theme-toggle";

/** The toggle with its current value read from the cookie, for any server-rendered page. */
export async function ThemeSwitcher(props: Omit<ThemeToggleProps, "current">) {
  const current = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return <ThemeToggle current={current} {...props} />;
}
