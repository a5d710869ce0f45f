// The one permission table (ARCHITECTURE.md). Used by the guards, by the UI to hide what a role
// cannot do, and by the access-matrix tests. Pure data and functions: safe on the edge and in the
// browser. Every "who may" question in the code is asked here: can / canOn / canOnAny to decide,
// assertCan / assertCanOn to refuse (a ForbiddenError, audited by the action wrapper).
import { ForbiddenError } from "@/lib/errors";

export const ROLES = ["ADMIN", "TECHNICIAN", "USER"] as const;
export type Role = (typeof ROLES)[number];

/**
 * "all": the role may do it to any object. "own": only to objects the user owns (their own
 * tickets; the service scopes the query). "none": never.
 */
export type Scope = "all" | "own" | "none";

export const PERMISSIONS = {
  "ticket:create": { USER: "own", TECHNICIAN: "all", ADMIN: "all" },
  "ticket:read": { USER: "own", TECHNICIAN: "all", ADMIN: "all" },
  // Title and description. "own": the requester, and only while the ticket is NEW (the help desk
  // has not picked it up yet; lib/tickets/service.ts checks the state).
  "ticket:edit": { USER: "own", TECHNICIAN: "all", ADMIN: "all" },
  "ticket:comment": { USER: "own", TECHNICIAN: "all", ADMIN: "all" },
  "ticket:note": { USER: "none", TECHNICIAN: "all", ADMIN: "all" },
  "ticket:triage": { USER: "none", TECHNICIAN: "all", ADMIN: "all" },
  // A requester may close or reopen their own resolved ticket; staff may do it to any.
  "ticket:close-reopen": { USER: "own", TECHNICIAN: "all", ADMIN: "all" },
  "ticket:delete": { USER: "none", TECHNICIAN: "none", ADMIN: "all" },
  "user:manage": { USER: "none", TECHNICIAN: "none", ADMIN: "all" },
  "category:manage": { USER: "none", TECHNICIAN: "none", ADMIN: "all" },
  "audit:read": { USER: "none", TECHNICIAN: "none", ADMIN: "all" },
  "audit:export": { USER: "none", TECHNICIAN: "none", ADMIN: "all" },
  // The Security page: anomalies found over the audit stream, and acknowledging them.
  "security:anomalies": { USER: "none", TECHNICIAN: "none", ADMIN: "all" },
  // The Email page: every mail the help desk sent or kept, its status and a preview.
  "email:read": { USER: "none", TECHNICIAN: "none", ADMIN: "all" },
  // Instance settings (/admin/settings, lib/settings): e.g. which kinds of files may be uploaded.
  "settings:manage": { USER: "none", TECHNICIAN: "none", ADMIN: "all" },
  // Reports (/reports, lib/reports): admins on everyone's work, technicians on their own only
  // (lib/reports/queries.ts forces the technician to the viewer for scope "own").
  "reports:read": { USER: "none", TECHNICIAN: "own", ADMIN: "all" },
  // "How did we do?" after a resolution (lib/csat): only the requester answers, on their own
  // ticket (the mailed link answers without a session: the token is the proof). Staff read them.
  "csat:answer": { USER: "own", TECHNICIAN: "none", ADMIN: "none" },
  "csat:read": { USER: "none", TECHNICIAN: "all", ADMIN: "all" },
  // Time logged on tickets (lib/time): staff only; each edits and deletes their own entries,
  // admins anyone's. Requesters never see time entries.
  "time:log": { USER: "none", TECHNICIAN: "all", ADMIN: "all" },
  "time:edit": { USER: "none", TECHNICIAN: "own", ADMIN: "all" },
  // Service levels (/admin/service-levels, lib/sla): business-hours calendars and SLA policies.
  "sla:manage": { USER: "none", TECHNICIAN: "none", ADMIN: "all" },
  // Webhooks (/admin/webhooks, lib/webhooks): subscriptions, signing secrets, the delivery log.
  "webhook:manage": { USER: "none", TECHNICIAN: "none", ADMIN: "all" },
  // Canned responses (lib/canned): "use" is one's own personal snippets (create, edit, delete)
  // and inserting shared ones; "manage" is the shared ones. Requesters never see any.
  "canned:use": { USER: "none", TECHNICIAN: "own", ADMIN: "own" },
  "canned:manage": { USER: "none", TECHNICIAN: "none", ADMIN: "all" },
  // Every signed-in user manages their own account (password, sessions).
  "account:manage": { USER: "own", TECHNICIAN: "own", ADMIN: "own" },
  // Personal access tokens for the REST API (lib/api-tokens, ADR 025): everyone creates, lists
  // and revokes their own; admins may also list and revoke anyone's (a token is always created
  // for oneself: service accounts' tokens are "user:manage").
  "apitoken:manage": { USER: "own", TECHNICIAN: "own", ADMIN: "all" },
} as const satisfies Record<string, Record<Role, Scope>>;

export type Permission = keyof typeof PERMISSIONS;

export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

/** The role's scope; "none" for anything not in the table (an unknown role gets nothing). */
export function scopeOf(role: Role, permission: Permission): Scope {
  return (PERMISSIONS[permission] as Record<string, Scope> | undefined)?.[role] ?? "none";
}

/** May this role use the permission at all (on at least its own objects)? */
export function can(user: { role: Role }, permission: Permission): boolean {
  return scopeOf(user.role, permission) !== "none";
}

/** May this user act on an object owned by `ownerId`? */
export function canOn(
  user: { id: string; role: Role },
  permission: Permission,
  ownerId: string,
): boolean {
  const scope = scopeOf(user.role, permission);
  return scope === "all" || (scope === "own" && ownerId === user.id);
}

/** May this user use the permission on everyone's objects, not only their own (scope "all")? */
export function canOnAny(user: { role: Role }, permission: Permission): boolean {
  return scopeOf(user.role, permission) === "all";
}

/** Throws ForbiddenError unless `can(user, permission)`. */
export function assertCan(user: { role: Role }, permission: Permission, message?: string): void {
  if (!can(user, permission)) throw new ForbiddenError(message);
}

/** Throws ForbiddenError unless `canOn(user, permission, ownerId)`. */
export function assertCanOn(
  user: { id: string; role: Role },
  permission: Permission,
  ownerId: string,
  message?: string,
): void {
  if (!canOn(user, permission, ownerId)) throw new ForbiddenError(message);
}

/** "public", "signed-in", or the permission the route is about (any scope of it). */
export type RouteAccess = "public" | "signed-in" | Permission;

// Route table for the edge middleware: the first matching prefix wins. The same permissions as
// the pages' requirePagePermission (the middleware sees only the token's role; pages re-check).
export const ROUTE_RULES: ReadonlyArray<{ prefix: string; access: RouteAccess }> = [
  { prefix: "/login", access: "public" },
  { prefix: "/forgot-password", access: "public" },
  { prefix: "/reset-password", access: "public" },
  { prefix: "/api/auth", access: "public" },
  { prefix: "/api/health", access: "public" },
  // Its own bearer token (lib/metrics/endpoint.ts): Prometheus has no session.
  { prefix: "/api/metrics", access: "public" },
  // The REST API: bearer tokens only, checked by its one wrapper (lib/api/route.ts); a session
  // cookie opens nothing there, so the edge must not redirect or refuse by cookie.
  { prefix: "/api/v1", access: "public" },
  // The one-click "How did we do?" link of the resolved mail: its signed token is the proof.
  { prefix: "/csat", access: "public" },
  { prefix: "/forbidden", access: "signed-in" },
  { prefix: "/admin/users", access: "user:manage" },
  { prefix: "/admin/categories", access: "category:manage" },
  { prefix: "/admin/audit/export", access: "audit:export" },
  { prefix: "/admin/audit", access: "audit:read" },
  { prefix: "/admin/security", access: "security:anomalies" },
  { prefix: "/admin/email", access: "email:read" },
  { prefix: "/admin/settings", access: "settings:manage" },
  { prefix: "/reports", access: "reports:read" },
  { prefix: "/admin/service-levels", access: "sla:manage" },
  { prefix: "/admin/webhooks", access: "webhook:manage" },
  { prefix: "/canned-responses", access: "canned:use" },
  { prefix: "/account/tokens", access: "apitoken:manage" },
  { prefix: "/", access: "signed-in" },
];

export function routeAccess(pathname: string): RouteAccess {
  const rule = ROUTE_RULES.find(
    (r) => pathname === r.prefix || pathname.startsWith(r.prefix === "/" ? "/" : `${r.prefix}/`),
  );
  return rule?.access ?? "signed-in";
}
