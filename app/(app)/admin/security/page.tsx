import type { Metadata } from "next";
import Link from "next/link";
import { AnomalyTable } from "@/components/admin/anomaly-table";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { listAnomalies } from "@/lib/security/queries";
import { AnomalyListSchema } from "@/lib/security/schemas";

export const metadata: Metadata = { title: "Security" };

type Search = Record<string, string | string[] | undefined>;

export default async function SecurityPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePagePermission("security:anomalies");
  const { show } = AnomalyListSchema.parse(await searchParams);
  const anomalies = await listAnomalies(user, { show });

  return (
    <div className="space-y-6">
      <PageHeader
        title="Security"
        description="Anomalies found in the audit trail: new staff devices, password spraying, mass reads or changes, audit exports, MFA resets and new admins. Each is raised once per window; acknowledging one is audited."
        actions={
          <Link
            href={show === "open" ? "/admin/security?show=all" : "/admin/security"}
            className={buttonVariants({ variant: "secondary" })}
          >
            {show === "open" ? "Show acknowledged too" : "Show open only"}
          </Link>
        }
      />
      {anomalies.length === 0 ? (
        <EmptyState
          title={show === "open" ? "No open anomalies" : "No anomalies"}
          description="New ones appear here within seconds of the events that raise them."
        />
      ) : (
        <AnomalyTable anomalies={anomalies} />
      )}
    </div>
  );
}
