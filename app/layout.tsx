import type { Metadata, Viewport } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { THEME_COOKIE, parseTheme, themeClass } from "@/components/app-shell/theme";
import { TimeZoneCookie } from "@/components/app-shell/time-zone-cookie";
import "./globals.css";

export const metadata: Metadata = {
  title: { template: "%s · Tessera", default: "Tessera" },
  description: "Tessera: a secure, self-hostable IT help desk.",
  applicationName: "Tessera",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#0f172a" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The theme is rendered on the server from a cookie: no inline script, so the strict CSP holds
  // and there is no flash of the wrong theme.
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" className={themeClass(theme)}>
      <body className="min-h-dvh">
        <TimeZoneCookie />
        {children}
      </body>
    </html>
  );
}
