// The error boundaries as the browser receives them, and the server line that matches their
// reference. In production Next.js hands a boundary a generic Error whose only detail is
// `digest`; these tests hand it a worse one (a real message and stack) to prove that the page
// prints the digest and nothing of the error itself.
import { Writable } from "node:stream";
import pino from "pino";
import { createElement, type ComponentType } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import AppError from "@/app/(app)/error";
import RootError from "@/app/error";
import GlobalError from "@/app/global-error";
import { errorDigest } from "@/components/errors/error-report";
import { reportRequestError } from "@/lib/request-errors";

type BoundaryProps = { error: unknown; retry: () => void };

const SECRET = 'relation "Category" does not exist (password=hunter2-hunter2)';

function thrownOnServer(digest: string): Error {
  const error = new Error(SECRET);
  error.stack = `Error: ${SECRET}\n    at listActiveCategories (lib/categories/queries.ts:12:3)`;
  return Object.assign(error, { digest });
}

const render = (Boundary: ComponentType<BoundaryProps>, error: unknown) =>
  renderToStaticMarkup(createElement(Boundary, { error, retry: () => {} }));

const boundaries: [string, ComponentType<BoundaryProps>][] = [
  ["app/error.tsx", RootError],
  ["app/(app)/error.tsx", AppError],
  ["app/global-error.tsx", GlobalError],
];

describe.each(boundaries)("%s", (_file, Boundary) => {
  it("shows a friendly message, the digest as the reference, and a way on", () => {
    const html = render(Boundary, thrownOnServer("2987654321"));
    expect(html).toContain("Something went wrong");
    expect(html).toMatch(/reference:\s*<code[^>]*>2987654321<\/code>/);
    expect(html).toContain(">Try again</button>");
    expect(html).toContain('href="/"');
  });

  it("never shows the error's message or stack", () => {
    const html = render(Boundary, thrownOnServer("2987654321"));
    for (const leak of ["Category", "does not exist", "hunter2", "queries.ts", "    at "]) {
      expect(html).not.toContain(leak);
    }
  });

  it("says what to do when there is no reference (an error in the browser)", () => {
    const html = render(Boundary, new TypeError(SECRET));
    expect(html).toContain("Something went wrong");
    expect(html).not.toContain("<code");
    expect(html).not.toContain("hunter2");
  });
});

describe("errorDigest", () => {
  it("takes only a short identifier, whatever was thrown", () => {
    expect(errorDigest(thrownOnServer("NEXT_HTTP_ERROR_FALLBACK;500"))).toBeUndefined();
    expect(errorDigest(thrownOnServer("x".repeat(65)))).toBeUndefined();
    expect(errorDigest({ digest: 42 })).toBeUndefined();
    expect(errorDigest("a string")).toBeUndefined();
    expect(errorDigest(null)).toBeUndefined();
    expect(errorDigest(thrownOnServer("1503326785"))).toBe("1503326785");
  });
});

describe("reportRequestError", () => {
  function capture() {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    return { log: pino(stream), lines };
  }

  it("logs the digest with the request id, the route and the error, and no other header", () => {
    const { log, lines } = capture();
    reportRequestError(
      log,
      thrownOnServer("2987654321"),
      {
        path: "/tickets?q=printer+on+floor+3",
        method: "GET",
        headers: {
          "x-request-id": "6f1c2a4e-0000-4000-8000-000000000001",
          cookie: "authjs.session-token=eyJsecret",
          authorization: "Bearer abc",
        },
      },
      { routePath: "/(app)/tickets/page", routeType: "render" },
    );
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({
      level: 50,
      event: "request_error",
      digest: "2987654321",
      requestId: "6f1c2a4e-0000-4000-8000-000000000001",
      method: "GET",
      path: "/tickets",
      routePath: "/(app)/tickets/page",
      routeType: "render",
    });
    expect(line.err.message).toBe(SECRET);
    expect(lines[0]).not.toContain("eyJsecret");
    expect(lines[0]).not.toContain("Bearer");
    expect(lines[0]).not.toContain("printer");
  });
});
