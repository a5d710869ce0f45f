"use client";
import { useDebouncedRefresh, useLiveEvents } from "./use-live-events";

/** A queue page: any change the viewer may see refreshes the list (nothing visible). */
export function LiveUpdates() {
  const refresh = useDebouncedRefresh();
  const connected = useLiveEvents(null, { onChange: refresh, onResync: refresh });
  return <span hidden data-testid="live-updates" data-live={connected ? "on" : "off"} />;
}
