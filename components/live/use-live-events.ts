"use client";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import type { LiveChange, PresencePerson } from "@/lib/live/events";

type Handlers = {
  onChange?: (change: LiveChange) => void;
  onPresence?: (ticketId: string, people: PresencePerson[]) => void;
  /** Events may have been missed (reconnected, tab shown again): catch up. */
  onResync?: () => void;
};

/**
 * Subscribes to GET /api/live (server-sent events, docs/decisions/028-live-updates.md) while the
 * tab is visible: closed when it is hidden, reopened (and caught up) when it is shown again.
 * EventSource reconnects by itself after a dropped connection; after a refusal (401, 429) or an
 * "end" it tries again later, backing off.
 */
export function useLiveEvents(ticketId: string | null, handlers: Handlers): boolean {
  const ref = useRef(handlers);
  // True while the stream is open (shown to tests as data-live on the component's marker).
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    ref.current = handlers;
  });

  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const url = ticketId ? `/api/live?ticket=${encodeURIComponent(ticketId)}` : "/api/live";
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let connectedBefore = false;

    const close = () => {
      source?.close();
      source = null;
      setConnected(false);
    };
    const later = () => {
      close();
      failures += 1;
      clearTimeout(retry);
      retry = setTimeout(open, Math.min(60_000, 2_000 * 2 ** Math.min(failures, 5)));
    };
    function open() {
      if (source || document.visibilityState === "hidden") return;
      const es = new EventSource(url);
      source = es;
      es.addEventListener("ready", () => {
        failures = 0;
        setConnected(true);
        if (connectedBefore) ref.current.onResync?.();
        connectedBefore = true;
      });
      es.addEventListener("change", (e) => {
        ref.current.onChange?.(JSON.parse((e as MessageEvent<string>).data) as LiveChange);
      });
      es.addEventListener("presence", (e) => {
        const data = JSON.parse((e as MessageEvent<string>).data) as {
          ticketId: string;
          people: PresencePerson[];
        };
        ref.current.onPresence?.(data.ticketId, data.people);
      });
      es.addEventListener("resync", () => ref.current.onResync?.());
      es.addEventListener("end", later);
      es.onerror = () => {
        // CONNECTING: the browser retries by itself. CLOSED: refused (401, 429): we retry later.
        if (es.readyState === EventSource.CLOSED) later();
        else setConnected(false);
      };
    }
    const onVisibility = () => {
      if (document.visibilityState === "hidden") {
        clearTimeout(retry);
        close();
      } else open();
    };
    document.addEventListener("visibilitychange", onVisibility);
    open();
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      clearTimeout(retry);
      close();
    };
  }, [ticketId]);
  return connected;
}

/**
 * router.refresh() at most once per `ms`, after a burst of events: the server components
 * re-render with the viewer's scope; client state (a half-typed reply) is kept.
 */
export function useDebouncedRefresh(ms = 400): () => void {
  const router = useRouter();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      router.refresh();
    }, ms);
  }, [router, ms]);
}
