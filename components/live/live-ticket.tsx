"use client";
import { useEffect, useState } from "react";
import { presenceText, type PresencePerson, type PresenceState } from "@/lib/live/events";
import { useDebouncedRefresh, useLiveEvents } from "./use-live-events";

const HEARTBEAT_MS = 15_000;
/** Typing this recently counts as replying. */
const REPLYING_MS = 10_000;
const REPLY_BOX = '[data-shortcut="reply-box"]';

function post(ticketId: string, state: PresenceState, keepalive = false) {
  void fetch("/api/live/presence", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ticketId, state }),
    keepalive,
  }).catch(() => {});
}

/**
 * A ticket page: changes of this ticket refresh it; staff also see and send presence ("Ada is
 * replying…") next to the reply box. Requesters get neither (the server refuses both anyway).
 */
export function LiveTicket({ ticketId, staff }: { ticketId: string; staff: boolean }) {
  const refresh = useDebouncedRefresh();
  const [people, setPeople] = useState<PresencePerson[]>([]);
  const connected = useLiveEvents(ticketId, {
    onChange: (change) => {
      if (change.ticketId === ticketId) refresh();
    },
    onResync: refresh,
    onPresence: (id, list) => {
      if (id === ticketId) setPeople(list);
    },
  });
  usePresenceHeartbeat(staff ? ticketId : null);
  const marker = <span hidden data-testid="live-updates" data-live={connected ? "on" : "off"} />;
  if (!staff) return marker;
  const lines = presenceText(people);
  return (
    <>
      {marker}
      <p
        role="status"
        aria-live="polite"
        data-testid="live-presence"
        className="min-h-5 text-sm text-fg-muted"
      >
        {lines.join(" · ")}
      </p>
    </>
  );
}

/** Staff: "viewing" while the tab is shown, "replying" while typing in the reply box. */
function usePresenceHeartbeat(ticketId: string | null) {
  useEffect(() => {
    if (!ticketId) return;
    let lastInput = 0;
    let sent: PresenceState | null = null;
    let sentAt = 0;
    const current = (): PresenceState =>
      Date.now() - lastInput < REPLYING_MS ? "replying" : "viewing";
    const beat = (force = false) => {
      if (document.visibilityState === "hidden") return;
      const state = current();
      if (!force && state === sent && Date.now() - sentAt < HEARTBEAT_MS - 1_000) return;
      sent = state;
      sentAt = Date.now();
      post(ticketId, state);
    };
    const onInput = (e: Event) => {
      const target = e.target as Element | null;
      if (!target?.matches?.(REPLY_BOX)) return;
      lastInput = Date.now();
      beat();
    };
    const leave = () => {
      if (sent === "left") return;
      sent = "left";
      post(ticketId, "left", true);
    };
    const onVisibility = () => (document.visibilityState === "hidden" ? leave() : beat(true));
    const timer = setInterval(() => beat(), 2_000);
    document.addEventListener("input", onInput);
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("pagehide", leave);
    beat(true);
    return () => {
      clearInterval(timer);
      document.removeEventListener("input", onInput);
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("pagehide", leave);
      leave();
    };
  }, [ticketId]);
}
