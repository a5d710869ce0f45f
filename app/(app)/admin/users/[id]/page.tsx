import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BackLink } from "@/components/admin/back-link";
import { FactList } from "@/components/admin/fact-list";
import { formatUtc, mfaStatus } from "@/components/admin/format";
import { UserAdminPanel } from "@/components/admin/user-admin-panel";
import { ApiTokenCreateForm } from "@/components/forms/api-token-create-form";
import { ApiTokenList } from "@/components/tokens/api-token-list";
import { Badge, RoleBadge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { scopeOptions, tokenRows } from "@/lib/api-tokens/queries";
import { requirePagePermission } from "@/lib/auth/guards";
import { can } from "@/lib/auth/permissions";
import { mfaRequiredFor } from "@/lib/auth/mfa/policy";
import { env } from "@/lib/env";
import { hasFreshConfirmation, readReauthToken } from "@/lib/auth/reauth";
import { db } from "@/lib/db";
import { getUserForAdmin } from "@/lib/users/queries";

export const metadata: Metadata = { title: "User" };

export default async function UserPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requirePagePermission("user:manage");
  const { id } = await params;
  const data = await getUserForAdmin(viewer, id);
  if (!data) notFound();
  const { user, tickets, events } = data;
  const fresh = await hasFreshConfirmation(db, viewer.id, await readReauthToken());
  const service = user.kind === "SERVICE";
  // Admins hold "apitoken:manage" on everyone's tokens: they see and revoke a person's too.
  const tokens = can(viewer, "apitoken:manage") ? await tokenRows(viewer, user.id) : null;
  const facts: [string, string][] = [
    ["Email", user.email],
    ["Last sign-in", user.lastLoginAt ? formatUtc(user.lastLoginAt) : "never"],
    ["Created", formatUtc(user.createdAt)],
    ["Tickets requested", String(tickets.requested)],
    ["Tickets assigned", String(tickets.assigned)],
    [
      "MFA",
      service
        ? "Not used (API tokens only)"
        : mfaStatus(user.mfaEnabledAt, mfaRequiredFor(user.role, env().TESSERA_STAFF_MFA)),
    ],
  ];

  return (
    <div className="space-y-6">
      <BackLink href="/admin/users">Users</BackLink>
      <PageHeader
        title={user.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <RoleBadge role={user.role} />
            {service && <Badge tone="warning">service account</Badge>}
            {user.active ? (
              <Badge tone="success">active</Badge>
            ) : (
              <Badge tone="danger">deactivated</Badge>
            )}
            {user.mustChangePassword && <Badge tone="warning">password change due</Badge>}
          </span>
        }
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Account</CardTitle>
          </CardHeader>
          <CardContent>
            <FactList facts={facts} className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm" />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Manage</CardTitle>
          </CardHeader>
          <CardContent>
            <UserAdminPanel
              user={{
                id: user.id,
                email: user.email,
                name: user.name,
                role: user.role,
                active: user.active,
                mfaEnabled: user.mfaEnabledAt !== null,
                service,
              }}
              fresh={fresh}
              isSelf={user.id === viewer.id}
            />
          </CardContent>
        </Card>
      </div>
      {tokens && (
        <Card>
          <CardHeader>
            <CardTitle>API tokens</CardTitle>
            <CardDescription>
              {service
                ? "This service account's tokens: each is shown once, when it is made."
                : "Personal access tokens this person made. Revoke one that may have leaked."}
            </CardDescription>
          </CardHeader>
          <CardContent className="space-y-6">
            {service && user.active && (
              <ApiTokenCreateForm scopes={scopeOptions(user.role)} serviceUserId={user.id} />
            )}
            <ApiTokenList tokens={tokens} />
          </CardContent>
        </Card>
      )}
      <Card>
        <CardHeader>
          <CardTitle>Recent changes to this account</CardTitle>
        </CardHeader>
        <CardContent className="space-y-3">
          {events.length === 0 ? (
            <p className="text-sm text-fg-muted">No events yet.</p>
          ) : (
            <ul className="divide-y divide-line text-sm">
              {events.map((e) => (
                <li key={e.id.toString()} className="flex flex-wrap gap-x-3 py-2">
                  <Link href={`/admin/audit/${e.id}`} className="font-mono text-xs hover:underline">
                    {e.action}
                  </Link>
                  <span className="text-fg-muted">{e.outcome.toLowerCase()}</span>
                  <span className="break-all">{e.actorEmail ?? "system"}</span>
                  <span className="text-fg-muted tabular-nums">{formatUtc(e.createdAt)}</span>
                </li>
              ))}
            </ul>
          )}
          <p className="flex flex-wrap gap-4 text-sm">
            <Link
              href={`/admin/audit?entityType=User&entityId=${encodeURIComponent(user.id)}`}
              className="underline"
            >
              All events about this account
            </Link>
            <Link href={`/admin/audit?actor=${encodeURIComponent(user.id)}`} className="underline">
              Everything this person did
            </Link>
          </p>
        </CardContent>
      </Card>
    </div>
  );
}
