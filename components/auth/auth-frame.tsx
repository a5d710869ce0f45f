import Link from "next/link";
import type { ReactNode } from "react";
import { Card, CardContent } from "@/components/ui/card";

/** The centred card of the pages a signed-out person sees (sign-in, password reset). */
export function AuthFrame(props: {
  title: string;
  children: ReactNode;
  /** A "Back to sign in" link under the card. */
  back?: boolean;
  /** Anything else under the card. */
  after?: ReactNode;
}) {
  return (
    <main className="flex min-h-dvh items-center justify-center px-4 py-10">
      <div className="w-full max-w-sm space-y-6">
        <div className="space-y-1 text-center">
          <p className="text-2xl font-bold tracking-tight">Tessera</p>
          <h1 className="text-lg text-fg-muted">{props.title}</h1>
        </div>
        <Card>
          <CardContent className="space-y-4">{props.children}</CardContent>
        </Card>
        {props.back && (
          <p className="text-center text-sm">
            <Link href="/login" className="underline underline-offset-2">
              Back to sign in
            </Link>
          </p>
        )}
        {props.after}
      </div>
    </main>
  );
}
