"use client";
import { useDebouncedRefresh, useLiveEvents } from "./use-live-events";

/** A queue page: any change the viewer may see refreshes the list (nothing is rendered). */
export function LiveUpdates() {
  const refresh = useDebouncedRefresh();
  useLiveEvents(null, { onChange: refresh, onResync: refresh });
  return null;
}
