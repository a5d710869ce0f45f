import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { FormError, FormSuccess } from "@/components/ui/form-message";
import { PageHeader } from "@/components/ui/page-header";
import { verifyAuditChain } from "@/lib/audit";
import { listAuditEvents } from "@/lib/audit/queries";
import { requirePageRole } from "@/lib/auth/guards";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Audit log" };

const OUTCOME_TONE = { SUCCESS: "success", REFUSED: "warning", FAILED: "danger" } as const;

function parseBefore(value: string | string[] | undefined): bigint | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v && /^\d{1,19}$/.test(v) ? BigInt(v) : undefined;
}

export default async function AuditLogPage({
  searchParams,
}: {
  searchParams: Promise<{ before?: string | string[]; verify?: string }>;
}) {
  const user = await requirePageRole("ADMIN");
  const params = await searchParams;
  const { events, nextBefore } = await listAuditEvents(user, {
    before: parseBefore(params.before),
  });
  const verification = params.verify === "1" ? await verifyAuditChain(db) : null;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Audit log"
        description="Every sign-in, change and refusal, newest first. The log is append-only and hash-chained."
        actions={
          <Link href="/admin/audit?verify=1" className={buttonVariants({ variant: "secondary" })}>
            Verify integrity
          </Link>
        }
      />
      {verification?.ok && (
        <FormSuccess message={`Intact: ${verification.count} events, every hash verified.`} />
      )}
      {verification && !verification.ok && (
        <FormError
          message={`Broken at event ${verification.brokenId} (${verification.reason.replaceAll("_", " ")}): ${verification.count} events before it verified.`}
        />
      )}
      <div className="overflow-x-auto rounded-lg border border-line">
        <table className="w-full min-w-[40rem] text-left text-sm">
          <thead className="bg-surface-muted text-xs text-fg-muted uppercase">
            <tr>
              <th scope="col" className="px-3 py-2">
                Time (UTC)
              </th>
              <th scope="col" className="px-3 py-2">
                Actor
              </th>
              <th scope="col" className="px-3 py-2">
                Action
              </th>
              <th scope="col" className="px-3 py-2">
                Object
              </th>
              <th scope="col" className="px-3 py-2">
                Outcome
              </th>
              <th scope="col" className="px-3 py-2">
                IP
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-line">
            {events.map((event) => (
              <tr key={event.id.toString()} data-testid="audit-row">
                <td className="px-3 py-2 whitespace-nowrap tabular-nums">
                  {event.createdAt.toISOString().replace("T", " ").slice(0, 19)}
                </td>
                <td className="px-3 py-2 break-all">
                  {event.actorEmail ?? "system / anonymous"}
                  {event.actorRole && (
                    <span className="text-fg-muted"> ({event.actorRole.toLowerCase()})</span>
                  )}
                </td>
                <td className="px-3 py-2 font-mono text-xs">{event.action}</td>
                <td className="px-3 py-2 break-all">
                  {event.entityType}
                  {event.entityId && <span className="text-fg-muted"> {event.entityId}</span>}
                </td>
                <td className="px-3 py-2">
                  <Badge tone={OUTCOME_TONE[event.outcome]}>{event.outcome.toLowerCase()}</Badge>
                </td>
                <td className="px-3 py-2 font-mono text-xs">{event.ip ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {nextBefore && (
        <Link
          href={`/admin/audit?before=${nextBefore}`}
          className={buttonVariants({ variant: "secondary" })}
        >
          Older events
        </Link>
      )}
    </div>
  );
}
