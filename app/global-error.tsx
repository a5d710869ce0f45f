"use client";
import { ErrorReport, errorDigest } from "@/components/errors/error-report";
import "./globals.css";

// Errors in the root layout itself. It replaces that layout, so it brings its own <html>, <body>
// and stylesheet; without the theme cookie it follows the system's light or dark setting.
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-dvh">
        <title>Something went wrong · Tessera</title>
        <ErrorReport digest={errorDigest(error)} retry={retry} fullPage />
      </body>
    </html>
  );
}
