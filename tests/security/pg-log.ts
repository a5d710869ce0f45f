// Reads what the PostgreSQL server logged during a test, for "0 SQL errors in the log" (T2).
// The file is read through the server itself (pg_stat_file / pg_read_file, superuser or
// pg_read_server_files), so it works wherever the server runs. Where the log is:
//   - logging_collector on: pg_current_logfile() (relative to data_directory);
//   - Debian's pg_ctlcluster (logging_collector off, the default there and in .ci/run):
//     /var/log/postgresql/postgresql-<major>-<cluster>.log, cluster from `cluster_name` ("15/main").
// Not a test file itself.
import pg from "pg";

export type PgLogWindow = {
  /** The log file read and the database name its lines are filtered on. */
  describe: string;
  /** ERROR/FATAL/PANIC lines (with the STATEMENT lines after them) logged since start(). */
  errorsSinceStart(): Promise<string[]>;
};

export type PgLogUnavailable = { unavailable: string };

async function locate(client: pg.Client): Promise<string | null> {
  const current = await client.query<{ path: string | null; dir: string }>(
    "SELECT pg_current_logfile() AS path, current_setting('data_directory') AS dir",
  );
  const row = current.rows[0];
  if (row?.path) return row.path.startsWith("/") ? row.path : `${row.dir}/${row.path}`;
  const settings = await client.query<{ major: string; cluster: string }>(
    "SELECT current_setting('server_version_num')::int / 10000 AS major, " +
      "current_setting('cluster_name') AS cluster",
  );
  const s = settings.rows[0];
  if (!s?.cluster) return null;
  const cluster = s.cluster.includes("/") ? s.cluster.split("/").pop() : s.cluster;
  return `/var/log/postgresql/postgresql-${s.major}-${cluster}.log`;
}

async function size(client: pg.Client, path: string): Promise<number> {
  const r = await client.query<{ size: string }>("SELECT (pg_stat_file($1)).size::text AS size", [
    path,
  ]);
  return Number(r.rows[0]!.size);
}

/**
 * Opens a window on the server log of the database `url` names: remembers the log's size now;
 * `errorsSinceStart()` reads what was appended since and keeps the error lines of that database.
 */
export async function openPgLogWindow(url: string): Promise<PgLogWindow | PgLogUnavailable> {
  const database = decodeURIComponent(new URL(url).pathname.slice(1));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const path = await locate(client);
    if (!path) return { unavailable: "cannot tell where this server writes its log" };
    let start: number;
    let prefix: string;
    try {
      start = await size(client, path);
      prefix = (await client.query<{ p: string }>("SELECT current_setting('log_line_prefix') AS p"))
        .rows[0]!.p;
    } catch (error) {
      return { unavailable: `cannot read ${path} through the server: ${(error as Error).message}` };
    }
    // With %d in the prefix, lines carry "user@database "; without it, every error counts.
    const tag = prefix.includes("%d") ? `@${database} ` : "";
    return {
      describe: `${path} (lines of database ${database})`,
      async errorsSinceStart() {
        const reader = new pg.Client({ connectionString: url });
        await reader.connect();
        try {
          const end = await size(reader, path);
          if (end <= start) return [];
          // Binary: a byte offset may fall inside a multi-byte character.
          const r = await reader.query<{ bytes: Buffer }>(
            "SELECT pg_read_binary_file($1, $2, $3) AS bytes",
            [path, start, end - start],
          );
          const lines = new TextDecoder().decode(r.rows[0]!.bytes).split("\n");
          const out: string[] = [];
          for (let i = 0; i < lines.length; i++) {
            const line = lines[i]!;
            if (!/\b(ERROR|FATAL|PANIC):/.test(line) || !line.includes(tag)) continue;
            out.push(line);
            // The failing statement follows on its own line(s); keep it for the message.
            const next = lines[i + 1];
            if (next && /\bSTATEMENT:/.test(next)) out.push(next);
          }
          return out;
        } finally {
          await reader.end();
        }
      },
    };
  } finally {
    await client.end();
  }
}
