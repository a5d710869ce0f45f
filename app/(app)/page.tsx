import type { Metadata } from "next";
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { FormSuccess } from "@/components/ui/form-message";
import { PageHeader } from "@/components/ui/page-header";
import { StaffDashboard } from "@/components/dashboard/staff-dashboard";
import { UserDashboard } from "@/components/dashboard/user-dashboard";
import { requirePageUser } from "@/lib/auth/guards";
import { can, canOnAny } from "@/lib/auth/permissions";
import { quotaWarning } from "@/lib/attachments/quota";
import { recentNotices } from "@/lib/security/queries";
import { getStaffDashboard, getUserDashboard } from "@/lib/tickets/stats";

export const metadata: Metadata = { title: "Home" };

const HEADINGS = {
  USER: { title: "Your help desk", description: "Report a problem and follow its progress." },
  TECHNICIAN: { title: "Technician desk", description: "Triage, take and resolve requests." },
  ADMIN: { title: "Administration", description: "People, categories and the audit trail." },
} as const;

export default async function HomePage({
  searchParams,
}: {
  searchParams: Promise<{ passwordChanged?: string }>;
}) {
  const user = await requirePageUser();
  const { passwordChanged } = await searchParams;
  const heading = HEADINGS[user.role];
  const viewer = { id: user.id, role: user.role };
  // The desk-wide dashboard for those who may read every ticket; one's own tickets otherwise.
  const desk = canOnAny(user, "ticket:read");
  // "Your account signed in from a new device" (lib/security/anomaly.ts): email does not exist yet.
  const notices = await recentNotices(user.id);
  // Admins (who run the installation) see the file storage filling up from 80 % of the quota on.
  const storageWarning = can(user, "category:manage") ? await quotaWarning() : null;

  return (
    <div className="space-y-6">
      <PageHeader
        title={heading.title}
        description={heading.description}
        actions={
          desk ? undefined : (
            <Link href="/tickets/new" className={buttonVariants()}>
              New ticket
            </Link>
          )
        }
      />
      <FormSuccess message={passwordChanged ? "Your password was changed." : null} />
      {notices.map((notice) => (
        <div
          key={notice.id}
          role="status"
          data-testid="user-notice"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
        >
          {notice.message}
        </div>
      ))}
      {storageWarning && (
        <div
          role="status"
          data-testid="storage-warning"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
        >
          {storageWarning}
        </div>
      )}
      {desk ? (
        <StaffDashboard stats={await getStaffDashboard(viewer)} />
      ) : (
        <UserDashboard stats={await getUserDashboard(viewer)} />
      )}
    </div>
  );
}
