import "server-only";
import { assertCan, type Role } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { ANOMALY_RULES, type AnomalyRule } from "@/lib/security/anomaly";

export type AnomalyListItem = {
  id: string;
  rule: AnomalyRule;
  ruleLabel: string;
  severity: string;
  summary: string;
  count: number;
  userId: string | null;
  auditEventId: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
};

/** The Security page: open anomalies (or all), newest first, at most `take`. */
export async function listAnomalies(
  viewer: { role: Role },
  options: { show: "open" | "all"; take?: number },
): Promise<AnomalyListItem[]> {
  assertCan(viewer, "security:anomalies");
  const rows = await db.securityAnomaly.findMany({
    where: options.show === "open" ? { acknowledgedAt: null } : undefined,
    orderBy: { id: "desc" },
    take: Math.min(options.take ?? 200, 500),
  });
  const ackers = [...new Set(rows.map((r) => r.acknowledgedById).filter(Boolean))] as string[];
  const emails = new Map(
    (
      await db.user.findMany({ where: { id: { in: ackers } }, select: { id: true, email: true } })
    ).map((u) => [u.id, u.email]),
  );
  return rows.map((r) => ({
    id: r.id.toString(),
    rule: r.rule as AnomalyRule,
    ruleLabel: ANOMALY_RULES[r.rule as AnomalyRule] ?? r.rule,
    severity: r.severity,
    summary: r.summary,
    count: r.count,
    userId: r.userId,
    auditEventId: r.auditEventId?.toString() ?? null,
    createdAt: r.createdAt,
    lastSeenAt: r.lastSeenAt,
    acknowledgedAt: r.acknowledgedAt,
    acknowledgedBy: r.acknowledgedById ? (emails.get(r.acknowledgedById) ?? null) : null,
  }));
}

/** A user's in-app notices of the last 14 days (new device sign-ins), newest first. */
export async function recentNotices(userId: string) {
  return db.userNotice.findMany({
    where: { userId, readAt: null, createdAt: { gt: new Date(Date.now() - 14 * 86_400_000) } },
    orderBy: { createdAt: "desc" },
    take: 5,
    select: { id: true, kind: true, message: true, createdAt: true },
  });
}
