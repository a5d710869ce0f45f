// A readable before/after: one row per field, changed fields marked. Values are shown as JSON
// text (React escapes it): never as markup, whatever the log contains.

type Json = unknown;

function isRecord(v: Json): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function show(v: Json): string {
  if (v === undefined) return "—";
  return typeof v === "string" ? v : JSON.stringify(v, null, 2);
}

export function diffRows(before: Json, after: Json) {
  const b = isRecord(before) ? before : before == null ? {} : { value: before };
  const a = isRecord(after) ? after : after == null ? {} : { value: after };
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
  return keys.map((key) => ({
    key,
    before: b[key],
    after: a[key],
    changed: JSON.stringify(b[key]) !== JSON.stringify(a[key]),
  }));
}

export function AuditDiff({ before, after }: { before: Json; after: Json }) {
  const rows = diffRows(before, after);
  if (rows.length === 0) return <p className="text-sm text-fg-muted">No before/after recorded.</p>;
  return (
    // Focusable so a keyboard can scroll it sideways on a phone (axe: scrollable-region-focusable).
    <div
      className="overflow-x-auto rounded-lg border border-line"
      tabIndex={0}
      role="region"
      aria-label="Before and after"
    >
      <table className="w-full min-w-[32rem] text-left text-sm" data-testid="audit-diff">
        <thead className="bg-surface-muted text-xs text-fg-muted uppercase">
          <tr>
            <th scope="col" className="px-3 py-2">
              Field
            </th>
            <th scope="col" className="px-3 py-2">
              Before
            </th>
            <th scope="col" className="px-3 py-2">
              After
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {rows.map((row) => (
            <tr key={row.key} className={row.changed ? "bg-amber-50/60 dark:bg-amber-950/30" : ""}>
              <th scope="row" className="px-3 py-2 align-top font-mono text-xs font-normal">
                {row.key}
                {row.changed && <span className="sr-only"> (changed)</span>}
              </th>
              <td className="px-3 py-2 align-top">
                <pre className="font-mono text-xs break-all whitespace-pre-wrap">
                  {show(row.before)}
                </pre>
              </td>
              <td className="px-3 py-2 align-top">
                <pre className="font-mono text-xs break-all whitespace-pre-wrap">
                  {show(row.after)}
                </pre>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
