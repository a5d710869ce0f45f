"use client";
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";

// What the error boundaries (app/error.tsx, app/(app)/error.tsx, app/global-error.tsx) show.
// It never shows the error's message or stack: in production Next.js replaces a server error by
// a generic one carrying only `digest`, and a client error's message could still hold data. The
// digest is the reference a person gives to support: instrumentation.ts logs it next to the
// request id, the path and the real error (lib/request-errors.ts).

export type ErrorReportProps = {
  /** Next.js's hash of a server error; absent when the error happened in the browser. */
  digest?: string;
  /** Re-fetches and re-renders the failed segment (the boundary's `retry`). */
  retry: () => void;
  /** A whole page (outside the app shell) rather than the content area of one. */
  fullPage?: boolean;
};

/** The error's `digest`, when it is a short, safe-to-print identifier. */
export function errorDigest(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("digest" in error)) return undefined;
  const digest = (error as { digest?: unknown }).digest;
  return typeof digest === "string" && /^[\w-]{1,64}$/.test(digest) ? digest : undefined;
}

export function ErrorReport({ digest, retry, fullPage = false }: ErrorReportProps) {
  const Wrapper = fullPage ? "main" : "div";
  return (
    <Wrapper
      id={fullPage ? "main" : undefined}
      className={cn(
        "mx-auto flex max-w-lg flex-col items-center px-4 text-center",
        fullPage ? "min-h-dvh justify-center py-12" : "py-12 sm:py-16",
      )}
      data-testid="error-report"
    >
      <p className="text-sm font-semibold text-link">Error</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-fg sm:text-3xl">
        Something went wrong
      </h1>
      <p className="mt-3 text-base text-fg-muted">
        This page could not be shown. Please try again in a moment; nothing you saved is lost.
      </p>
      {digest ? (
        <p className="mt-3 text-sm text-fg-muted">
          If it keeps happening, tell your IT team and give them this reference:{" "}
          <code className="rounded bg-surface-muted px-1.5 py-0.5 font-mono text-fg">{digest}</code>
        </p>
      ) : (
        <p className="mt-3 text-sm text-fg-muted">
          If it keeps happening, tell your IT team what you were doing and when.
        </p>
      )}
      <div className="mt-8 flex flex-wrap justify-center gap-3">
        <button type="button" onClick={() => retry()} className={buttonVariants()}>
          Try again
        </button>
        <Link href="/" className={buttonVariants({ variant: "secondary" })}>
          Go to the home page
        </Link>
      </div>
    </Wrapper>
  );
}
