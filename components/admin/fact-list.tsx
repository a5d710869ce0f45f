import type { ReactNode } from "react";

/** Label / value pairs of an admin detail page, as a definition list; the grid is the caller's. */
export function FactList({
  facts,
  className,
}: {
  facts: readonly (readonly [string, ReactNode])[];
  className: string;
}) {
  return (
    <dl className={className}>
      {facts.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-fg-muted">{label}</dt>
          <dd className="break-all">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
