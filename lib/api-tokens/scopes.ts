// Token scopes: read/write per area of the REST API (ADR 025). Pure data: the account page, the
// API and the access matrix use it. A scope opens an area of the API; the role's permissions
// (lib/auth/permissions.ts) still decide every single request, so a token can never do more than
// its owner, and a scope the owner's role does not allow cannot be granted (nor used after a
// demotion: lib/api-tokens/authenticate.ts stops such a token).
import { can, type Permission, type Role } from "@/lib/auth/permissions";

export const API_SCOPES = {
  "tickets:read": {
    label: "Read tickets",
    description: "List and read tickets, replies, internal notes (staff) and attachments.",
    requires: ["ticket:read"],
  },
  "tickets:write": {
    label: "Write tickets",
    description: "Create tickets, reply, and (staff) add notes, triage, assign, change status.",
    requires: ["ticket:create"],
  },
  "categories:read": {
    label: "Read categories",
    description: "List the ticket categories.",
    requires: [],
  },
  "categories:write": {
    label: "Manage categories",
    description: "Create, rename and deactivate categories.",
    requires: ["category:manage"],
  },
  "users:read": {
    label: "Read users",
    description: "List and read user accounts.",
    requires: ["user:manage"],
  },
  "users:write": {
    label: "Manage users",
    description: "Create users, change roles, deactivate.",
    requires: ["user:manage"],
  },
  "audit:read": {
    label: "Read the audit trail",
    description: "List and read audit events (read-only).",
    requires: ["audit:read"],
  },
} as const satisfies Record<
  string,
  { label: string; description: string; requires: readonly Permission[] }
>;

export type ApiScope = keyof typeof API_SCOPES;
export const API_SCOPE_NAMES = Object.keys(API_SCOPES) as ApiScope[];

export function isApiScope(value: string): value is ApiScope {
  return Object.hasOwn(API_SCOPES, value);
}

/** May a user of this role hold the scope? (Every permission it requires, at any scope.) */
export function scopeAllowedFor(role: Role, scope: ApiScope): boolean {
  return API_SCOPES[scope].requires.every((p: Permission) => can({ role }, p));
}

/** The scopes a user of this role may give a token. */
export function scopesForRole(role: Role): ApiScope[] {
  return API_SCOPE_NAMES.filter((s) => scopeAllowedFor(role, s));
}

/** The scopes in `scopes` this role may not hold (empty: the token is within the role). */
export function scopesBeyondRole(role: Role, scopes: readonly string[]): string[] {
  return scopes.filter((s) => !isApiScope(s) || !scopeAllowedFor(role, s));
}
