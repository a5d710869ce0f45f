import type { Metadata } from "next";
import Link from "next/link";
import { formatUtc, mfaStatus } from "@/components/admin/format";
import { UserFilters } from "@/components/admin/user-filters";
import { Badge, RoleBadge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { mfaRequiredFor } from "@/lib/auth/mfa/policy";
import { env } from "@/lib/env";
import { UserListFilterSchema } from "@/lib/users/admin-schemas";
import { listUsers, USER_LIST_LIMIT } from "@/lib/users/queries";

export const metadata: Metadata = { title: "Users" };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export default async function UsersPage({ searchParams }: { searchParams: Promise<Search> }) {
  const viewer = await requirePagePermission("user:manage");
  const params = await searchParams;
  const filter = UserListFilterSchema.parse({
    q: one(params.q),
    role: one(params.role),
    status: one(params.status),
  });
  const { users, truncated } = await listUsers(viewer, filter);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Users"
        description="Everyone who can sign in, with their two-factor authentication (MFA) status."
        actions={
          <>
            <Link href="/admin/users/new" className={buttonVariants()}>
              New user
            </Link>
            <Link
              href="/admin/users/new-service"
              className={buttonVariants({ variant: "secondary" })}
            >
              New service account
            </Link>
          </>
        }
      />
      <UserFilters filter={filter} />
      {users.length === 0 ? (
        <EmptyState title="No users match" description="Try another search or clear the filters." />
      ) : (
        <ul className="divide-y divide-line rounded-lg border border-line bg-surface">
          {users.map((u) => (
            <li
              key={u.id}
              className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-3"
              data-testid="user-row"
            >
              <div className="min-w-0 flex-1">
                <Link href={`/admin/users/${u.id}`} className="font-medium hover:underline">
                  {u.name}
                </Link>
                <p className="text-sm break-all text-fg-muted">{u.email}</p>
              </div>
              <RoleBadge role={u.role} />
              {u.kind === "SERVICE" && <Badge tone="warning">service account</Badge>}
              {!u.active && <Badge tone="danger">deactivated</Badge>}
              {u.mustChangePassword && u.active && (
                <Badge tone="warning">password change due</Badge>
              )}
              <p className="w-full text-xs text-fg-muted sm:w-auto">
                Last sign-in: {u.lastLoginAt ? formatUtc(u.lastLoginAt, false) : "never"}
              </p>
              <p className="w-full text-xs text-fg-muted sm:w-auto" data-testid="user-mfa">
                MFA:{" "}
                {u.kind === "SERVICE"
                  ? "not used (API tokens only)"
                  : mfaStatus(u.mfaEnabledAt, mfaRequiredFor(u.role, env().TESSERA_STAFF_MFA))}
              </p>
            </li>
          ))}
        </ul>
      )}
      {truncated && (
        <p className="text-sm text-fg-muted">
          Showing the first {USER_LIST_LIMIT} matches: search to narrow the list.
        </p>
      )}
    </div>
  );
}
