import { Button } from "@/components/ui/button";
import { describe, FIELD_LABELS, type Names, type StaleChanges } from "./triage-state";

/**
 * Shown when the ticket changed since this form was opened: what changed, and one way on that
 * keeps the reply as typed (a stale submit is never retried blindly, nor is the reply lost).
 */
export function StaleNotice({
  changes,
  names,
  onReload,
}: {
  changes: StaleChanges;
  names: Names;
  onReload: () => void;
}) {
  const { fields, newComments, otherEdit } = changes;
  return (
    <div
      role="alert"
      className="space-y-3 rounded-md border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-50"
      data-testid="stale-notice"
    >
      <p className="font-semibold">Someone changed this ticket since you opened it.</p>
      <ul className="list-disc space-y-0.5 pl-5">
        {fields.map(({ field, from, to }) => (
          <li key={field}>
            {FIELD_LABELS[field]}: {describe(field, from, names)} → {describe(field, to, names)}
          </li>
        ))}
        {newComments > 0 && (
          <li>
            {newComments === 1 ? "1 new comment" : `${newComments} new comments`} (in the timeline
            above)
          </li>
        )}
        {otherEdit && <li>The title or description was edited.</li>}
      </ul>
      <p>
        Your reply is kept, and so are your changes to fields nobody else changed. Nothing was saved
        yet.
      </p>
      <Button onClick={onReload}>Reload and keep my reply</Button>
    </div>
  );
}
