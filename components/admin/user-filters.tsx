// A plain GET form: works without JavaScript, and the result is a bookmarkable URL.
import Link from "next/link";
import { roleLabels } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import type { UserListFilter } from "@/lib/users/admin-schemas";
import { ROLES } from "@/lib/users/schemas";

export function UserFilters({ filter }: { filter: UserListFilter }) {
  const filtered = Boolean(filter.q || filter.role || filter.status);
  return (
    <form
      method="get"
      action="/admin/users"
      role="search"
      aria-label="Filter users"
      className="grid gap-3 sm:grid-cols-[1fr_auto_auto_auto] sm:items-end"
    >
      <div className="space-y-1.5">
        <Label htmlFor="user-q">Search</Label>
        <Input id="user-q" name="q" defaultValue={filter.q ?? ""} placeholder="Name or email" />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="user-role">Role</Label>
        <Select id="user-role" name="role" defaultValue={filter.role ?? ""}>
          <option value="">Any role</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabels[r]}
            </option>
          ))}
        </Select>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="user-status">Status</Label>
        <Select id="user-status" name="status" defaultValue={filter.status ?? ""}>
          <option value="">Any status</option>
          <option value="active">Active</option>
          <option value="inactive">Deactivated</option>
        </Select>
      </div>
      <div className="flex gap-2">
        <button type="submit" className={buttonVariants({ variant: "secondary" })}>
          Filter
        </button>
        {filtered && (
          <Link href="/admin/users" className={buttonVariants({ variant: "ghost" })}>
            Clear
          </Link>
        )}
      </div>
    </form>
  );
}
