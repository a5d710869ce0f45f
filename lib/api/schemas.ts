// The REST API's own schemas (lib/api): path parameters, the few bodies no form has, and the
// response shapes for the OpenAPI document. Request bodies and filters are the forms' schemas
// (lib/tickets/schemas.ts, lib/categories/schemas.ts, lib/users/admin-schemas.ts,
// lib/audit/filters.ts); only what no form has is defined here. Pure: no server imports.
import { z } from "zod";
import { AttachmentIdsSchema } from "@/lib/attachments/schemas";
import { AuditFilterSchema, AUDIT_OUTCOMES } from "@/lib/audit/filters";
import { ROLES } from "@/lib/auth/permissions";
import { API_SCOPE_NAMES } from "@/lib/api-tokens/scopes";
import {
  CategoryIdSchema,
  CategoryNameSchema,
  DefaultAssigneeSchema,
} from "@/lib/categories/schemas";
import {
  CommentBodySchema,
  DescriptionSchema,
  TicketAssignSchema,
  TicketListQuerySchema,
  TicketPrioritySchema,
  TicketStatusChangeSchema,
  TicketStatusSchema,
  TitleSchema,
} from "@/lib/tickets/schemas";
import { RoleSchema } from "@/lib/users/schemas";
import { UserIdSchema, UserListFilterSchema } from "@/lib/users/admin-schemas";

type Uncaught<S extends z.ZodRawShape> = {
  [K in keyof S]: S[K] extends z.ZodCatch<infer Inner> ? Inner : S[K];
};

/**
 * A form's URL filter schema without its leniency: a bookmark drops what does not parse
 * (`.catch`), an API client is told (422). Same fields, same limits; unknown parameters too.
 */
export function strictQuery<S extends z.ZodRawShape>(schema: z.ZodObject<S>) {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, value] of Object.entries(schema.shape)) {
    const def = (value as z.ZodType).def as { type: string; innerType?: z.ZodType };
    shape[key] = def.type === "catch" && def.innerType ? def.innerType : (value as z.ZodType);
  }
  return z.strictObject(shape as unknown as Uncaught<S>);
}

/** The named answer schemas: the document's components (lib/api/openapi.ts). */
export const API_SCHEMAS = z.registry<{ id: string; description?: string }>();

// ---- path parameters ----

export const TicketNumberParams = z.object({
  number: z.coerce
    .number()
    .int()
    .min(1)
    .max(2_147_483_647)
    .meta({ description: "The ticket's number (#1042 is 1042)." }),
});
export const CategoryParams = z.object({ id: CategoryIdSchema });
export const UserParams = z.object({ id: UserIdSchema });
export const AuditEventParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,18}$/, "An audit event id is a number.")
    .meta({ description: "The event's id (a decimal string: ids are 64-bit)." }),
});
export const AttachmentParams = z.object({ id: z.uuid("An attachment id is malformed.") });

// ---- query strings ----

export const TicketListApiQuery = strictQuery(TicketListQuerySchema).omit({ density: true });
export const AuditListApiQuery = strictQuery(AuditFilterSchema).extend({
  before: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional()
    .meta({ description: "Keyset cursor: `nextBefore` of the previous page." }),
});
export const UserListApiQuery = strictQuery(UserListFilterSchema);
export const CommentListApiQuery = z.strictObject({
  after: z.string().trim().min(1).max(64).optional().meta({
    description: "Keyset cursor: `nextAfter` of the previous page (a comment id).",
  }),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

// ---- bodies no form has as such (the ticket id comes from the path) ----

/** PATCH a ticket: title/description (the edit form's rules), priority/category (triage). */
export const TicketPatchBody = z
  .strictObject({
    version: z.number().int().min(1),
    title: TitleSchema.optional(),
    description: DescriptionSchema.optional(),
    priority: TicketPrioritySchema.optional(),
    categoryId: CategoryIdSchema.optional(),
  })
  .refine((b) => [b.title, b.description, b.priority, b.categoryId].some((v) => v !== undefined), {
    message: "Send at least one field to change.",
    path: ["version"],
  });
export const TicketStatusBody = TicketStatusChangeSchema.omit({ ticketId: true });
export const TicketAssignBody = TicketAssignSchema.omit({ ticketId: true });
/** A reply, or (staff) an internal note with `internal: true`. */
export const CommentCreateBody = z.strictObject({
  body: CommentBodySchema.default(""),
  internal: z.boolean().default(false),
  attachmentIds: AttachmentIdsSchema,
});
export const CategoryPatchBody = z
  .strictObject({
    name: CategoryNameSchema.optional(),
    archived: z.boolean().optional(),
    defaultAssigneeId: DefaultAssigneeSchema.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: "Send at least one field to change.",
  });
export const UserPatchBody = z
  .strictObject({ role: RoleSchema.optional(), active: z.boolean().optional() })
  .refine((b) => b.role !== undefined || b.active !== undefined, {
    message: "Send role or active.",
  });

// ---- responses (documentation; the handlers build them from the services' results) ----

const dateTime = z.string().meta({ format: "date-time" });
const Person = z
  .object({ id: z.string(), name: z.string() })
  .register(API_SCHEMAS, { id: "Person" });

export const TicketSummary = z
  .object({
    id: z.string(),
    number: z.number().int(),
    title: z.string(),
    status: TicketStatusSchema,
    priority: TicketPrioritySchema,
    version: z
      .number()
      .int()
      .meta({ description: "Send it back with a change (optimistic locking)." }),
    createdAt: dateTime,
    updatedAt: dateTime,
    firstResponseAt: dateTime.nullable(),
    resolvedAt: dateTime.nullable(),
    closedAt: dateTime.nullable(),
    slaDueAt: dateTime.nullable(),
    slaWarnAt: dateTime.nullable(),
    slaPausedAt: dateTime.nullable(),
    category: Person,
    requester: Person,
    assignee: Person.nullable(),
  })
  .register(API_SCHEMAS, { id: "TicketSummary" });

export const TicketListResponse = z
  .object({
    items: z.array(TicketSummary.extend({ unread: z.boolean(), snippet: z.string().optional() })),
    nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page." }),
  })
  .register(API_SCHEMAS, { id: "TicketList" });

export const TicketResponse = TicketSummary.extend({
  description: z.string(),
  descriptionHtml: z.string(),
  requester: Person.extend({ email: z.string() }),
  can: z.object({
    edit: z.boolean(),
    triage: z.boolean(),
    reply: z.boolean(),
    note: z.boolean(),
    delete: z.boolean(),
    transitions: z.array(TicketStatusSchema),
  }),
  followUpOf: z.object({ number: z.number().int(), title: z.string() }).nullable(),
  followUps: z.array(z.object({ number: z.number().int(), title: z.string() })),
}).register(API_SCHEMAS, { id: "Ticket" });

export const TicketMutationResponse = z
  .object({
    id: z.string(),
    number: z.number().int(),
    version: z.number().int(),
    status: TicketStatusSchema,
  })
  .register(API_SCHEMAS, { id: "TicketChange" });

export const CommentResponse = z
  .object({
    id: z.string(),
    body: z.string(),
    html: z.string(),
    internal: z.boolean(),
    createdAt: dateTime,
    author: z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES) }),
  })
  .register(API_SCHEMAS, { id: "Comment" });
export const CommentListResponse = z
  .object({ items: z.array(CommentResponse), nextAfter: z.string().nullable() })
  .register(API_SCHEMAS, { id: "CommentList" });
export const CommentCreatedResponse = z
  .object({ ticket: TicketMutationResponse, comment: z.object({ id: z.string() }) })
  .register(API_SCHEMAS, { id: "CommentCreated" });

export const AttachmentResponse = z
  .object({
    id: z.string(),
    name: z.string(),
    size: z.number().int(),
    contentType: z.string(),
    image: z.boolean(),
    state: z.enum(["READY", "QUARANTINED", "INFECTED"]),
    commentId: z.string().nullable().meta({ description: "Null: a file of the description." }),
  })
  .register(API_SCHEMAS, { id: "Attachment" });
export const AttachmentListResponse = z
  .object({ items: z.array(AttachmentResponse) })
  .register(API_SCHEMAS, { id: "AttachmentList" });

export const CategoryResponse = z
  .object({
    id: z.string(),
    name: z.string(),
    archived: z.boolean(),
    position: z.number().int(),
  })
  .register(API_SCHEMAS, { id: "Category" });
export const CategoryListResponse = z
  .object({ items: z.array(CategoryResponse) })
  .register(API_SCHEMAS, { id: "CategoryList" });

export const UserResponse = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    kind: z.enum(["PERSON", "SERVICE"]).meta({ description: "SERVICE: an integration's account." }),
    active: z.boolean(),
    mustChangePassword: z.boolean(),
    mfaEnabled: z.boolean(),
    lastLoginAt: dateTime.nullable(),
    createdAt: dateTime,
  })
  .register(API_SCHEMAS, { id: "User" });
export const UserListResponse = z
  .object({ items: z.array(UserResponse), truncated: z.boolean() })
  .register(API_SCHEMAS, { id: "UserList" });
export const UserCreatedResponse = z
  .object({
    id: z.string(),
    email: z.string(),
    oneTimePassword: z
      .string()
      .meta({ description: "Shown once: the user must replace it at first sign-in." }),
  })
  .register(API_SCHEMAS, { id: "UserCreated" });
export const UserChangeResponse = z
  .object({ id: z.string(), changed: z.boolean() })
  .register(API_SCHEMAS, { id: "UserChange" });

export const AuditEventResponse = z
  .object({
    id: z.string(),
    createdAt: dateTime,
    actorId: z.string().nullable(),
    actorEmail: z.string().nullable(),
    actorRole: z.string().nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    outcome: z.enum(AUDIT_OUTCOMES),
    ip: z.string().nullable(),
    channel: z.string().nullable().meta({ description: '"api:<token id>" for API requests.' }),
    seq: z.string().nullable(),
  })
  .register(API_SCHEMAS, { id: "AuditEvent" });
export const AuditEventListResponse = z
  .object({ items: z.array(AuditEventResponse), nextBefore: z.string().nullable() })
  .register(API_SCHEMAS, { id: "AuditEventList" });
export const AuditEventDetailResponse = AuditEventResponse.extend({
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  metadata: z.unknown(),
  prevHash: z.string().nullable(),
  hash: z.string().nullable(),
}).register(API_SCHEMAS, { id: "AuditEventDetail" });

export const MeResponse = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    kind: z.enum(["PERSON", "SERVICE"]),
    token: z.object({ id: z.string(), scopes: z.array(z.enum(API_SCOPE_NAMES)) }),
  })
  .register(API_SCHEMAS, { id: "Me" });

export const ProblemResponse = z
  .object({
    type: z.string().meta({ description: "urn:tessera:problem:<kind>" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().meta({ description: "The request id: quote it to your admins." }),
    errors: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .meta({ description: "Messages per field (422)." }),
  })
  .register(API_SCHEMAS, { id: "Problem" });
