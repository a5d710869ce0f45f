// RFC 9457 problem details for the REST API (lib/api/route.ts). Pure: no database, no secrets.
// `instance` is the request id: the one thing a client quotes to the help desk's admins, who find
// the request in the logs and the audit trail by it. Field errors go in `errors` (the forms'
// flattened zod errors), never the values that were sent.

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** The problems the API answers with; `type` is a stable URN a client may switch on. */
export const PROBLEMS = {
  400: { slug: "bad-request", title: "The request could not be read." },
  401: { slug: "unauthenticated", title: "Invalid or expired token." },
  403: { slug: "forbidden", title: "Not allowed." },
  404: { slug: "not-found", title: "Not found." },
  405: { slug: "method-not-allowed", title: "Method not allowed." },
  409: { slug: "conflict", title: "Changed since you read it." },
  413: { slug: "too-large", title: "The request body is too large." },
  415: { slug: "unsupported-media-type", title: "Send the body as application/json." },
  422: { slug: "validation", title: "Some fields are not valid." },
  429: { slug: "rate-limited", title: "Too many requests." },
  500: { slug: "internal", title: "Something went wrong on our side." },
  503: { slug: "unavailable", title: "Temporarily unavailable." },
} as const;

export type ProblemStatus = keyof typeof PROBLEMS;

export type Problem = {
  type: string;
  title: string;
  status: ProblemStatus;
  detail?: string;
  instance: string;
  errors?: Record<string, string[]>;
};

export function problemType(status: ProblemStatus): string {
  return `urn:tessera:problem:${PROBLEMS[status].slug}`;
}

export function problemBody(
  status: ProblemStatus,
  requestId: string,
  detail?: string,
  errors?: Record<string, string[]>,
): Problem {
  return {
    type: problemType(status),
    title: PROBLEMS[status].title,
    status,
    ...(detail && { detail }),
    instance: requestId,
    ...(errors && Object.keys(errors).length > 0 && { errors }),
  };
}

export function problemResponse(
  status: ProblemStatus,
  requestId: string,
  options: { detail?: string; errors?: Record<string, string[]>; headers?: HeadersInit } = {},
): Response {
  const headers = new Headers(options.headers);
  headers.set("content-type", PROBLEM_CONTENT_TYPE);
  headers.set("cache-control", "no-store");
  headers.set("x-request-id", requestId);
  if (status === 401) headers.set("www-authenticate", 'Bearer realm="tessera"');
  return new Response(
    JSON.stringify(problemBody(status, requestId, options.detail, options.errors)),
    { status, headers },
  );
}
