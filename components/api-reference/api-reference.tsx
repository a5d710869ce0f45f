// The REST API reference, rendered on the server from the OpenAPI document (lib/api/openapi.ts):
// the same source as /api/v1/openapi.json, so the page cannot drift from the API. No client code.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { openApiDocument } from "@/lib/api/openapi";

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  items?: Schema;
  anyOf?: Schema[];
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  description?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
  default?: unknown;
};
type Parameter = {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: Schema;
};
type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
  "x-required-scope"?: string | null;
  "x-required-permission"?: string | null;
};

/** A schema in a few words: "string (3–200)", "NEW | OPEN | …", "array of string", "Ticket". */
export function describeType(s: Schema | undefined): string {
  if (!s) return "any";
  if (s.$ref) return s.$ref.split("/").pop()!;
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (s.anyOf) return s.anyOf.map(describeType).join(" or ");
  const type = Array.isArray(s.type) ? s.type.join(" or ") : (s.type ?? "any");
  if (type === "array") return `array of ${describeType(s.items)}`;
  const range =
    s.minLength !== undefined || s.maxLength !== undefined
      ? ` (${s.minLength ?? 0}–${s.maxLength ?? "…"} characters)`
      : s.minimum !== undefined && s.maximum !== undefined && s.maximum < 1e9
        ? ` (${s.minimum}–${s.maximum})`
        : "";
  return `${s.format ?? type}${range}`;
}

function Fields({
  rows,
}: {
  rows: { name: string; where?: string; required: boolean; schema: Schema; description?: string }[];
}) {
  if (rows.length === 0) return null;
  return (
    <table className="w-full text-left text-sm">
      <thead className="text-fg-muted">
        <tr>
          <th className="py-1 pr-3 font-medium">Name</th>
          <th className="py-1 pr-3 font-medium">Type</th>
          <th className="py-1 font-medium">Notes</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.where}-${r.name}`} className="border-t border-line align-top">
            <td className="py-1 pr-3">
              <code>{r.name}</code>
              {r.where && <span className="text-fg-muted"> ({r.where})</span>}
            </td>
            <td className="py-1 pr-3 break-words">{describeType(r.schema)}</td>
            <td className="py-1">
              {r.required ? "required" : "optional"}
              {r.schema.default !== undefined && `, default ${JSON.stringify(r.schema.default)}`}
              {r.description && `. ${r.description}`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OperationCard({ path, method, op }: { path: string; method: string; op: Operation }) {
  const body = op.requestBody?.content["application/json"]?.schema;
  const bodyRows = Object.entries(body?.properties ?? {}).map(([name, schema]) => ({
    name,
    required: (body?.required ?? []).includes(name),
    schema,
    description: schema.description,
  }));
  const scope = op["x-required-scope"];
  return (
    <Card id={op.operationId}>
      <CardHeader>
        <CardTitle as="h3" className="flex flex-wrap items-center gap-2 text-base">
          <Badge tone={method === "get" ? "info" : "accent"}>{method.toUpperCase()}</Badge>
          <code>/api/v1{path}</code>
        </CardTitle>
        <p className="text-sm">{op.summary}</p>
      </CardHeader>
      <CardContent className="space-y-3 text-sm">
        {op.description && <p className="text-fg-muted">{op.description}</p>}
        <p>
          Scope: {scope ? <code>{scope}</code> : "any valid token"}
          {op["x-required-permission"] && (
            <>
              {" "}
              · permission <code>{op["x-required-permission"]}</code>
            </>
          )}
        </p>
        <Fields
          rows={(op.parameters ?? []).map((p) => ({
            name: p.name,
            where: p.in,
            required: p.required,
            schema: p.schema,
            description: p.description,
          }))}
        />
        {bodyRows.length > 0 && (
          <div>
            <p className="font-medium">JSON body</p>
            <Fields rows={bodyRows} />
          </div>
        )}
        <p className="text-fg-muted">
          Answers:{" "}
          {Object.entries(op.responses)
            .map(([code, r]) => {
              const schema = Object.values(r.content ?? {})[0]?.schema;
              return `${code}${schema?.$ref && !code.startsWith("4") && !code.startsWith("5") ? ` ${describeType(schema)}` : ""}`;
            })
            .join(", ")}
        </p>
      </CardContent>
    </Card>
  );
}

export function ApiReference({ origin }: { origin: string }) {
  const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, Operation>> };
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method, op })),
  );
  const tags = [...new Set(operations.map((o) => o.op.tags[0]!))];
  return (
    <div className="space-y-8">
      <Card>
        <CardHeader>
          <CardTitle>Getting started</CardTitle>
        </CardHeader>
        <CardContent className="space-y-2 text-sm">
          <p>
            Create a token on{" "}
            <Link className="underline" href="/account/tokens">
              Account → API tokens
            </Link>{" "}
            with the scopes you need, then send it as a bearer token. Bodies are JSON; errors are{" "}
            RFC 9457 problem details (<code>application/problem+json</code>) whose{" "}
            <code>instance</code> is the request id. Changes take the <code>version</code> you read
            (409 when it changed since).
          </p>
          <pre className="overflow-x-auto rounded bg-slate-100 p-3 text-xs dark:bg-slate-900">
            {`curl -H "Authorization: Bearer tsr_pat_…" "${origin}/api/v1/tickets?status=OPEN&limit=10"

curl -X POST -H "Authorization: Bearer tsr_pat_…" -H "Content-Type: application/json" \\
  -d '{"title":"Printer on floor 3 jams","categoryId":"<id from GET /api/v1/categories>"}' \\
  "${origin}/api/v1/tickets"`}
          </pre>
          <p>
            Machine-readable:{" "}
            <a className="underline" href="/api/v1/openapi.json">
              /api/v1/openapi.json
            </a>{" "}
            (OpenAPI 3.1).
          </p>
        </CardContent>
      </Card>
      {tags.map((tag) => (
        <section key={tag} className="space-y-3" aria-labelledby={`tag-${tag}`}>
          <h2 id={`tag-${tag}`} className="text-lg font-semibold">
            {tag}
          </h2>
          {operations
            .filter((o) => o.op.tags[0] === tag)
            .map((o) => (
              <OperationCard key={`${o.method} ${o.path}`} {...o} />
            ))}
        </section>
      ))}
    </div>
  );
}
