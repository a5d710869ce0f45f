import Link from "next/link";
import type { ReactNode } from "react";
import { buttonVariants } from "./button";

export type StatusPageProps = {
  /** A short code shown above the title, e.g. "404". */
  code: string;
  title: string;
  description: ReactNode;
  /** Defaults to a link home. */
  action?: ReactNode;
};

/** A centred full-page message for errors such as 403 and 404 (rendered outside the app shell). */
export function StatusPage({ code, title, description, action }: StatusPageProps) {
  return (
    <main
      id="main"
      className="mx-auto flex min-h-dvh max-w-lg flex-col items-center justify-center px-4 py-12 text-center"
    >
      <p className="text-sm font-semibold text-link">{code}</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-fg sm:text-3xl">{title}</h1>
      <p className="mt-3 text-base text-fg-muted">{description}</p>
      <div className="mt-8">
        {action ?? (
          <Link href="/" className={buttonVariants()}>
            Go to the home page
          </Link>
        )}
      </div>
    </main>
  );
}
