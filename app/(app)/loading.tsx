import { Spinner } from "@/components/ui/spinner";

export default function Loading() {
  return (
    <div className="flex items-center gap-3 py-12 text-fg-muted" aria-busy="true">
      <Spinner label="Loading" />
      <span aria-hidden="true">Loading…</span>
    </div>
  );
}
