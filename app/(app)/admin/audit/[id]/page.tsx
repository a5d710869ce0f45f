import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AuditDiff } from "@/components/admin/audit-diff";
import { AuditRefLink } from "@/components/admin/audit-ref";
import { OUTCOME_TONE, PendingBadge } from "@/components/admin/audit-table";
import { BackLink } from "@/components/admin/back-link";
import { FactList } from "@/components/admin/fact-list";
import { formatUtc } from "@/components/admin/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getAuditEvent } from "@/lib/audit/queries";
import { requirePagePermission } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "Audit event" };

export default async function AuditEventPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requirePagePermission("audit:read");
  const { id } = await params;
  if (!/^\d{1,18}$/.test(id)) notFound();
  const data = await getAuditEvent(viewer, BigInt(id));
  if (!data) notFound();
  const { event, actor, object } = data;
  const allAbout = event.entityId
    ? `/admin/audit?entityType=${encodeURIComponent(event.entityType)}&entityId=${encodeURIComponent(event.entityId)}`
    : null;

  const facts: [string, ReactNode][] = [
    ["Time", formatUtc(event.createdAt)],
    [
      "Actor",
      event.actorId ? (
        <span key="actor">
          <AuditRefLink entityType="User" id={event.actorId} named={actor} showId />
          {event.actorEmail && <span className="block text-fg-muted">{event.actorEmail}</span>}
        </span>
      ) : (
        "system / anonymous"
      ),
    ],
    ["Role at the time", event.actorRole?.toLowerCase() ?? "—"],
    ["Action", <code key="a">{event.action}</code>],
    [
      "Object",
      event.entityId ? (
        <AuditRefLink
          key="o"
          entityType={event.entityType}
          id={event.entityId}
          named={object}
          showId
        />
      ) : (
        event.entityType
      ),
    ],
    [
      "Outcome",
      <Badge key="b" tone={OUTCOME_TONE[event.outcome]}>
        {event.outcome.toLowerCase()}
      </Badge>,
    ],
    ["IP", event.ip ?? "—"],
    ["User agent", event.userAgent ?? "—"],
    ["Request id", event.requestId ?? "—"],
    [
      "Hash chain",
      event.seq === null ? (
        <span key="s">
          <PendingBadge /> not sealed yet: the sealer adds new events within seconds
        </span>
      ) : (
        <span key="s" data-testid="audit-sealed">
          sealed at position {event.seq.toString()}
        </span>
      ),
    ],
    ["Hash", <code key="h">{event.hash ?? "—"}</code>],
    ["Previous hash", <code key="p">{event.prevHash ?? "—"}</code>],
  ];

  return (
    <div className="space-y-6">
      <BackLink href="/admin/audit">Audit log</BackLink>
      <PageHeader title={`Event #${event.id}`} description={event.action} />
      <Card>
        <CardContent>
          <FactList
            facts={facts}
            className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[auto_1fr]"
          />
          {allAbout && (
            <p className="mt-4 text-sm">
              <Link href={allAbout} className="underline">
                Every event about this object
              </Link>
            </p>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Before and after</CardTitle>
        </CardHeader>
        <CardContent>
          <AuditDiff before={event.before} after={event.after} />
        </CardContent>
      </Card>
      {event.metadata != null && (
        <Card>
          <CardHeader>
            <CardTitle>Details</CardTitle>
          </CardHeader>
          <CardContent>
            <pre className="overflow-x-auto font-mono text-xs break-all whitespace-pre-wrap">
              {JSON.stringify(event.metadata, null, 2)}
            </pre>
          </CardContent>
        </Card>
      )}
    </div>
  );
}
