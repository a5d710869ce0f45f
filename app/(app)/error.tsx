"use client";
import { ErrorReport, errorDigest } from "@/components/errors/error-report";

// Errors in a signed-in page: the app shell (navigation, sign out) stays usable around it.
export default function AppError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorReport digest={errorDigest(error)} retry={retry} />;
}
