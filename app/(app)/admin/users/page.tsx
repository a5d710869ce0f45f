import type { Metadata } from "next";
import { Badge, RoleBadge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guards";
import { listUsers } from "@/lib/users/queries";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const viewer = await requirePageRole("ADMIN");
  const users = await listUsers(viewer);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Users"
        description="Everyone who can sign in. Create the first admin of a production install with npm run user:create."
      />
      <ul className="divide-y divide-line rounded-lg border border-line bg-surface">
        {users.map((u) => (
          <li
            key={u.id}
            className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-3"
            data-testid="user-row"
          >
            <div className="min-w-0 flex-1">
              <p className="font-medium">{u.name}</p>
              <p className="text-sm break-all text-fg-muted">{u.email}</p>
            </div>
            <RoleBadge role={u.role} />
            {!u.active && <Badge tone="danger">deactivated</Badge>}
            <p className="w-full text-xs text-fg-muted sm:w-auto">
              Last sign-in:{" "}
              {u.lastLoginAt
                ? u.lastLoginAt.toISOString().slice(0, 16).replace("T", " ") + " UTC"
                : "never"}
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}
