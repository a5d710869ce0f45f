import type { ReactNode } from "react";

/** The frame of the admin lists (audit log, anomalies): column headers, then `children` as rows. */
export function AdminTable({ headers, children }: { headers: string[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-line">
      <table className="w-full min-w-[48rem] text-left text-sm">
        <thead className="bg-surface-muted text-xs text-fg-muted uppercase">
          <tr>
            {headers.map((h) => (
              <th key={h} scope="col" className="px-3 py-2">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-line">{children}</tbody>
      </table>
    </div>
  );
}
