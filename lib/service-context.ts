// The one context every service takes as its first argument: who acts, and from where.
// defineAction (lib/action.ts) builds it from the user it re-read from the database and the
// request; tests and scripts build their own. Types only: safe to import anywhere.
import type { AuditActor, AuditContext } from "@/lib/audit";
import type { Tx } from "@/lib/db";

/** Who acts: the signed-in user (a SessionUser fits) or, in scripts, the account acting. */
export type Actor = AuditActor;

/** Who reads: list and detail queries scope to these two fields. */
export type Viewer = Pick<Actor, "id" | "role">;

export type ServiceContext = {
  actor: Actor;
  /** ip, user agent and request id, for the audit trail and logs. */
  request?: AuditContext | null;
  /** This browser's fresh password confirmation (lib/auth/reauth.ts), if it holds one. */
  reauthToken?: string | null;
  /**
   * The scopes of the API token this request came with (lib/api/route.ts), absent on the web.
   * A token holding "users:write" needed its creator's fresh password confirmation, so it stands
   * in for one where lib/auth/reauth.ts requireConfirmation allows it.
   */
  apiScopes?: readonly string[];
  /**
   * Also done in the service's own transaction, before it commits: e.g. the record of the email
   * a ticket or reply came from (lib/email/inbound/process.ts), whose unique key makes a second
   * delivery of the same message roll the whole change back.
   */
  inTransaction?: (tx: Tx) => Promise<void>;
};
