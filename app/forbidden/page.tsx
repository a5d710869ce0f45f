import type { Metadata } from "next";
import { StatusPage } from "@/components/ui/status-page";

export const metadata: Metadata = { title: "Access denied", robots: { index: false } };

// The middleware sends signed-in users here when their role may not open a page. It says no
// more than that on purpose: nothing about what the page was or who may open it.
export default function ForbiddenPage() {
  return (
    <StatusPage
      code="403"
      title="You don't have access to this page"
      description="Your account is not allowed to open it. If you think you need access, ask an administrator."
    />
  );
}
