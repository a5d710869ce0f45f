// The OpenAPI 3.1 document of the REST API, generated from the operations table
// (lib/api/operations.ts) and its zod schemas, the forms' own, with zod's own JSON Schema output
// (draft 2020-12 is OpenAPI 3.1's dialect; ADR 026 says why not a generator package).
// Served at GET /api/v1/openapi.json and rendered at /developers/api. Pure: no server imports.
import { z } from "zod";
import { API_SCOPES } from "@/lib/api-tokens/scopes";
import { API_BASE, API_OPERATIONS, type ApiOperation } from "@/lib/api/operations";
import { PROBLEMS, type ProblemStatus } from "@/lib/api/problem";
import { API_SCHEMAS, ProblemResponse } from "@/lib/api/schemas";

export const BEARER_SCHEME = "bearerToken";

type Json = Record<string, unknown>;

const COMPONENT = (id: string) => `#/components/schemas/${id}`;

/** A schema as JSON Schema 2020-12, without the document-level keys OpenAPI does not need. */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): Json {
  const out = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    metadata: API_SCHEMAS,
    uri: COMPONENT,
  } as Parameters<typeof z.toJSONSchema>[1]) as Json;
  delete out.$schema;
  delete out.$id;
  return out;
}

/** A named answer schema is a $ref to its component; others are inlined. */
function responseSchema(schema: z.ZodType): Json {
  const id = API_SCHEMAS.get(schema)?.id;
  return id ? { $ref: COMPONENT(id) } : jsonSchema(schema, "output");
}

function components(): Json {
  const { schemas } = z.toJSONSchema(API_SCHEMAS, {
    io: "output",
    unrepresentable: "any",
    uri: COMPONENT,
  }) as { schemas: Record<string, Json> };
  for (const s of Object.values(schemas)) {
    delete s.$schema;
    delete s.$id;
  }
  return schemas;
}

/** Path and query parameters: one per field of the operation's schema. */
function parameters(schema: z.ZodObject | undefined, where: "path" | "query"): Json[] {
  if (!schema) return [];
  const whole = jsonSchema(schema, "input") as {
    properties?: Record<string, Json>;
    required?: string[];
  };
  return Object.entries(whole.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === "path" || (whole.required ?? []).includes(name),
      ...(description !== undefined && { description }),
      schema: rest,
      // status=OPEN&status=ON_HOLD (or a comma-separated list)
      ...(rest.type === "array" && { style: "form", explode: true }),
    };
  });
}

const problem = (status: ProblemStatus, description?: string) => ({
  description: description ?? PROBLEMS[status].title,
  content: { "application/problem+json": { schema: responseSchema(ProblemResponse) } },
});

function responsesFor(op: ApiOperation): Json {
  const ok: Json = op.binary
    ? {
        "200": {
          description: "The file.",
          content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
        },
        "302": { description: "A short-lived signed URL of the file (S3 storage)." },
      }
    : {
        [op.created ? "201" : "200"]: {
          description: op.created ? "Created." : "OK.",
          content: {
            "application/json": { schema: op.response ? responseSchema(op.response) : {} },
          },
        },
      };
  return {
    ...ok,
    ...(op.body && {
      "400": problem(400, "The body is not valid JSON."),
      "413": problem(413),
      "415": problem(415),
    }),
    "401": problem(401, "No token, or a malformed, unknown, revoked or expired one."),
    "403": problem(403, "The token lacks the scope, or its owner the permission."),
    ...(op.path.includes("{") && {
      "404": problem(404, "Not found, or not visible to the token's owner."),
    }),
    ...(op.body && {
      "409": problem(409, "Changed since it was read (send the current version)."),
    }),
    "422": problem(422),
    "429": problem(429, "Over the token's rate limit: see Retry-After."),
    "500": problem(500),
  };
}

function operation(id: string, op: ApiOperation): Json {
  return {
    operationId: id,
    summary: op.summary,
    ...(op.description && { description: op.description }),
    tags: [op.tag],
    // OpenAPI 3.1 lets a bearer scheme name what it needs ("role names"): the token scope.
    security: [{ [BEARER_SCHEME]: op.scope ? [op.scope] : [] }],
    "x-required-scope": op.scope,
    "x-required-permission": op.permission,
    parameters: [...parameters(op.params, "path"), ...parameters(op.query, "query")],
    ...(op.body && {
      requestBody: {
        required: true,
        content: { "application/json": { schema: jsonSchema(op.body, "input") } },
      },
    }),
    responses: responsesFor(op),
  };
}

let cached: Json | null = null;

export function openApiDocument(): Json {
  if (cached) return cached;
  const paths: Record<string, Record<string, Json>> = {};
  for (const [id, op] of Object.entries(API_OPERATIONS) as [string, ApiOperation][]) {
    (paths[op.path] ??= {})[op.method.toLowerCase()] = operation(id, op);
  }
  paths["/openapi.json"] = {
    get: {
      operationId: "openapi.get",
      summary: "This document (no token needed)",
      tags: ["Account"],
      security: [],
      responses: {
        "200": {
          description: "The OpenAPI 3.1 document.",
          content: { "application/json": { schema: { type: "object" } } },
        },
      },
    },
  };
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Tessera REST API",
      version: "1",
      description:
        "The help desk's second front door: the same rules, services and audit trail as the web " +
        "app. Errors are RFC 9457 problem details; `instance` is the request id.",
    },
    servers: [{ url: API_BASE }],
    tags: [
      { name: "Account" },
      { name: "Tickets" },
      { name: "Categories" },
      { name: "Users", description: "Admins (users:read / users:write)." },
      { name: "Audit", description: "Admins (audit:read), read-only." },
    ],
    security: [{ [BEARER_SCHEME]: [] }],
    paths,
    components: {
      schemas: components(),
      securitySchemes: {
        [BEARER_SCHEME]: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "tsr_pat_…",
          description:
            "A personal access token: `Authorization: Bearer tsr_pat_…`. Scopes: " +
            Object.entries(API_SCOPES)
              .map(([name, s]) => `\`${name}\` (${s.description})`)
              .join(" "),
        },
      },
    },
  };
  return cached;
}
