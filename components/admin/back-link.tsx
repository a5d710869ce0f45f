import Link from "next/link";
import type { ReactNode } from "react";

/** The "← list" line above an admin detail or form page. */
export function BackLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <p className="text-sm">
      <Link href={href} className="text-fg-muted hover:underline">
        ← {children}
      </Link>
    </p>
  );
}
