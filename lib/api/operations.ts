// The REST API's one table of operations (ADR 026): method, path, the token scope it needs, the
// coarse permission (lib/auth/permissions.ts) the wrapper checks before the service re-checks,
// and the zod schemas of its parameters, query, body and answer. The route handlers
// (app/api/v1/**/route.ts) take their operation from here (lib/api/route.ts), and the OpenAPI
// document is generated from it (lib/api/openapi.ts): a route cannot exist undocumented.
// Pure: no server imports.
import type { z } from "zod";
import type { ApiScope } from "@/lib/api-tokens/scopes";
import type { Permission } from "@/lib/auth/permissions";
import { CategoryCreateSchema } from "@/lib/categories/schemas";
import { TicketCreateSchema } from "@/lib/tickets/schemas";
import { UserAdminCreateSchema } from "@/lib/users/admin-schemas";
import * as S from "@/lib/api/schemas";

export type ApiMethod = "GET" | "POST" | "PATCH";

export type ApiOperation = {
  method: ApiMethod;
  /** OpenAPI path under /api/v1, with {placeholders} for the route's dynamic segments. */
  path: string;
  summary: string;
  description?: string;
  tag: "Account" | "Tickets" | "Categories" | "Users" | "Audit";
  /** The token scope the operation needs; null: any valid token. */
  scope: ApiScope | null;
  /** Checked against the owner's CURRENT role on every request; null: none beyond a token. */
  permission: Permission | null;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The success answer (200 unless `created`); a file download has none (`binary`). */
  response?: z.ZodType;
  created?: boolean;
  binary?: boolean;
  /** The name of the audit action of refusals ("api.tickets.create"). */
  name: string;
};

function op<const T extends Omit<ApiOperation, "name">>(name: string, o: T): T & { name: string } {
  return { ...o, name: `api.${name}` };
}

export const API_OPERATIONS = {
  "me.get": op("me.get", {
    method: "GET",
    path: "/me",
    tag: "Account",
    summary: "The token's owner and scopes",
    scope: null,
    permission: null,
    response: S.MeResponse,
  }),
  "tickets.list": op("tickets.list", {
    method: "GET",
    path: "/tickets",
    tag: "Tickets",
    summary: "List tickets (the queues' filters, search and keyset pages)",
    description:
      "Requesters get their own tickets only (queue, assignee and requester are ignored). " +
      "Multiple values: repeat the parameter or separate with commas. `nextCursor` is opaque.",
    scope: "tickets:read",
    permission: "ticket:read",
    query: S.TicketListApiQuery,
    response: S.TicketListResponse,
  }),
  "tickets.create": op("tickets.create", {
    method: "POST",
    path: "/tickets",
    tag: "Tickets",
    summary: "Create a ticket",
    description:
      "`priority` and `requesterId` (on behalf of someone) are for staff. Files are uploaded " +
      "first (POST /api/attachments) and named in `attachmentIds`.",
    scope: "tickets:write",
    permission: "ticket:create",
    body: TicketCreateSchema,
    response: S.TicketMutationResponse,
    created: true,
  }),
  "tickets.get": op("tickets.get", {
    method: "GET",
    path: "/tickets/{number}",
    tag: "Tickets",
    summary: "One ticket",
    scope: "tickets:read",
    permission: "ticket:read",
    params: S.TicketNumberParams,
    response: S.TicketResponse,
  }),
  "tickets.update": op("tickets.update", {
    method: "PATCH",
    path: "/tickets/{number}",
    tag: "Tickets",
    summary: "Change title, description, priority or category",
    description:
      "Title and description follow the edit rules (a requester only while the ticket is NEW); " +
      "priority and category the triage rules (staff). Send the `version` you read; 409 when " +
      "it changed since.",
    scope: "tickets:write",
    permission: "ticket:edit",
    params: S.TicketNumberParams,
    body: S.TicketPatchBody,
    response: S.TicketMutationResponse,
  }),
  "tickets.status": op("tickets.status", {
    method: "POST",
    path: "/tickets/{number}/status",
    tag: "Tickets",
    summary: "Change the status",
    description: "Staff: any legal move. A requester: close or reopen their own resolved ticket.",
    scope: "tickets:write",
    permission: "ticket:close-reopen",
    params: S.TicketNumberParams,
    body: S.TicketStatusBody,
    response: S.TicketMutationResponse,
  }),
  "tickets.assign": op("tickets.assign", {
    method: "POST",
    path: "/tickets/{number}/assign",
    tag: "Tickets",
    summary: "Assign (or unassign with null)",
    scope: "tickets:write",
    permission: "ticket:triage",
    params: S.TicketNumberParams,
    body: S.TicketAssignBody,
    response: S.TicketMutationResponse,
  }),
  "tickets.comments.list": op("tickets.comments.list", {
    method: "GET",
    path: "/tickets/{number}/comments",
    tag: "Tickets",
    summary: "Replies (and, for staff, internal notes), oldest first",
    scope: "tickets:read",
    permission: "ticket:read",
    params: S.TicketNumberParams,
    query: S.CommentListApiQuery,
    response: S.CommentListResponse,
  }),
  "tickets.comments.create": op("tickets.comments.create", {
    method: "POST",
    path: "/tickets/{number}/comments",
    tag: "Tickets",
    summary: "Reply, or add an internal note (staff, `internal: true`)",
    scope: "tickets:write",
    permission: "ticket:comment",
    params: S.TicketNumberParams,
    body: S.CommentCreateBody,
    response: S.CommentCreatedResponse,
    created: true,
  }),
  "tickets.attachments.list": op("tickets.attachments.list", {
    method: "GET",
    path: "/tickets/{number}/attachments",
    tag: "Tickets",
    summary: "The ticket's files the token's owner may see",
    scope: "tickets:read",
    permission: "ticket:read",
    params: S.TicketNumberParams,
    response: S.AttachmentListResponse,
  }),
  "attachments.download": op("attachments.download", {
    method: "GET",
    path: "/attachments/{id}",
    tag: "Tickets",
    summary: "Download a file",
    description:
      "The file itself (always as a download), or with S3 storage a redirect to a short-lived " +
      "signed URL. Every download is audited.",
    scope: "tickets:read",
    permission: "ticket:read",
    params: S.AttachmentParams,
    binary: true,
  }),
  "categories.list": op("categories.list", {
    method: "GET",
    path: "/categories",
    tag: "Categories",
    summary: "Categories (admins also see archived ones)",
    scope: "categories:read",
    permission: null,
    response: S.CategoryListResponse,
  }),
  "categories.create": op("categories.create", {
    method: "POST",
    path: "/categories",
    tag: "Categories",
    summary: "Create a category",
    scope: "categories:write",
    permission: "category:manage",
    body: CategoryCreateSchema,
    response: S.CategoryResponse,
    created: true,
  }),
  "categories.update": op("categories.update", {
    method: "PATCH",
    path: "/categories/{id}",
    tag: "Categories",
    summary: "Rename, archive or restore a category, or set its default assignee",
    scope: "categories:write",
    permission: "category:manage",
    params: S.CategoryParams,
    body: S.CategoryPatchBody,
    response: S.CategoryResponse,
  }),
  "users.list": op("users.list", {
    method: "GET",
    path: "/users",
    tag: "Users",
    summary: "Users (search by name or email, filter by role and status)",
    scope: "users:read",
    permission: "user:manage",
    query: S.UserListApiQuery,
    response: S.UserListResponse,
  }),
  "users.create": op("users.create", {
    method: "POST",
    path: "/users",
    tag: "Users",
    summary: "Create a user with a one-time password",
    description:
      "Creating an admin needs a fresh password confirmation, which a token cannot give: use " +
      "the web app for that (403).",
    scope: "users:write",
    permission: "user:manage",
    body: UserAdminCreateSchema,
    response: S.UserCreatedResponse,
    created: true,
  }),
  "users.get": op("users.get", {
    method: "GET",
    path: "/users/{id}",
    tag: "Users",
    summary: "One user",
    scope: "users:read",
    permission: "user:manage",
    params: S.UserParams,
    response: S.UserResponse,
  }),
  "users.update": op("users.update", {
    method: "PATCH",
    path: "/users/{id}",
    tag: "Users",
    summary: "Change a user's role or deactivate / reactivate",
    description:
      "A users:write token stands in for the web's fresh password confirmation (creating it " +
      "needed one), so role changes and (de)activation work; granting admin rights (a " +
      "promotion, reactivating an admin) always needs a browser: 403.",
    scope: "users:write",
    permission: "user:manage",
    params: S.UserParams,
    body: S.UserPatchBody,
    response: S.UserChangeResponse,
  }),
  "audit.list": op("audit.list", {
    method: "GET",
    path: "/audit-events",
    tag: "Audit",
    summary: "Audit events, newest first (the viewer's filters, keyset pages)",
    scope: "audit:read",
    permission: "audit:read",
    query: S.AuditListApiQuery,
    response: S.AuditEventListResponse,
  }),
  "audit.get": op("audit.get", {
    method: "GET",
    path: "/audit-events/{id}",
    tag: "Audit",
    summary: "One audit event with before, after and its hash",
    scope: "audit:read",
    permission: "audit:read",
    params: S.AuditEventParams,
    response: S.AuditEventDetailResponse,
  }),
} as const satisfies Record<string, ApiOperation>;

export type ApiOperationId = keyof typeof API_OPERATIONS;
export const API_BASE = "/api/v1";
