// Talking to a running app over HTTP as a browser does, for the benchmarks (scripts/bench) and
// the multi-process tests (tests/e2e/instances.spec.ts, faults.spec.ts): a session cookie
// minted with the app's AUTH_SECRET (the claims lib/auth/config.ts writes at sign-in) and server
// actions invoked by their id from the build's manifest (POST to a page with a Next-Action
// header). No "server-only" imports: runs under tsx and Playwright.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { encode } from "next-auth/jwt";
import type pg from "pg";

/** A session cookie for user `id` (staff are marked MFA-enrolled: nobody signs in here). */
export async function cookieFor(
  client: Pick<pg.Client, "query">,
  id: string,
  secret: string,
): Promise<string> {
  // Staff need MFA before the app lets them in (ADR 011). Cookies are minted instead of signing
  // in, so staff are marked enrolled (no secret: nobody signs in with a code here).
  await client.query(
    `UPDATE "User" SET "mfaEnabledAt" = now()
     WHERE "id" = $1 AND "role" IN ('ADMIN', 'TECHNICIAN') AND "mfaEnabledAt" IS NULL`,
    [id],
  );
  const { rows } = await client.query<{ role: string; sv: number }>(
    `SELECT "role"::text AS role, "sessionVersion" AS sv FROM "User" WHERE "id" = $1`,
    [id],
  );
  const user = rows[0];
  if (!user) throw new Error(`user ${id} not found`);
  const token = await encode({
    token: { sub: id, uid: id, role: user.role as "USER", sv: user.sv },
    secret,
    salt: "authjs.session-token",
    maxAge: 12 * 3600,
  });
  return `authjs.session-token=${token}`;
}

export type ActionRef = { id: string; page: string };

/**
 * A server action's id from the build's manifest, and a page that uses it (where the browser
 * posts). Default: createTicketAction, posted to /tickets/new.
 */
export function findAction(
  appDir: string,
  target: { file: string; name: string; page?: string } = {
    file: "lib/tickets/actions.ts",
    name: "createTicketAction",
    page: "/tickets/new/page",
  },
): ActionRef {
  const manifest = JSON.parse(
    readFileSync(join(appDir, ".next/server/server-reference-manifest.json"), "utf8"),
  ) as {
    node: Record<
      string,
      { filename?: string; exportedName?: string; workers: Record<string, unknown> }
    >;
  };
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (entry.filename === target.file && entry.exportedName === target.name) {
      const workers = Object.keys(entry.workers);
      const worker = (target.page && workers.find((w) => w.endsWith(target.page!))) ?? workers[0]!;
      const page =
        worker
          .replace(/^app/, "")
          .replace(/\/page$/, "")
          .replace(/\/\([^)]+\)/g, "") || "/";
      return { id, page };
    }
  }
  throw new Error(`${target.name} is not in the server-reference manifest (no page uses it?)`);
}

/** Invokes a server action as the browser does; resolves with the status and the raw body. */
export async function postAction(
  base: string,
  action: ActionRef,
  cookie: string,
  args: unknown[],
  init: { signal?: AbortSignal } = {},
): Promise<{ status: number; body: string }> {
  const res = await fetch(`${base}${action.page}`, {
    method: "POST",
    headers: {
      cookie,
      "x-forwarded-proto": "http",
      "next-action": action.id,
      "content-type": "text/plain;charset=UTF-8",
      origin: base,
      accept: "text/x-component",
    },
    body: JSON.stringify(args),
    redirect: "manual",
    signal: init.signal,
  });
  return { status: res.status, body: await res.text() };
}
