"use client";
import { ErrorReport, errorDigest } from "@/components/errors/error-report";

// Errors outside the signed-in area, and in the (app) layout itself (e.g. the database is
// unreachable while the user is re-checked). The root layout still renders around it.
export default function RootError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorReport digest={errorDigest(error)} retry={retry} fullPage />;
}
