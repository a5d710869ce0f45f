// `npm run db:check`: fails when schema.prisma and prisma/migrations disagree (someone edited
// the schema without creating a migration). Needs no database: the shadow is in-process.
import { diffMigrationsToSchema } from "./diff";
import type { DiffOptions } from "./diff";

export interface CheckResult {
  ok: boolean;
  /** The SQL a new migration would contain; empty when ok. */
  diff: string;
}

export async function checkSchemaAndMigrations(opts: DiffOptions): Promise<CheckResult> {
  const sql = await diffMigrationsToSchema(opts);
  return sql === null || sql.trim() === "" ? { ok: true, diff: "" } : { ok: false, diff: sql };
}
