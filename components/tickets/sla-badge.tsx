import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { SlaBadgeData, SlaBadgeState } from "@/lib/sla/format";

const TONES: Record<SlaBadgeState, BadgeTone> = {
  breached: "danger",
  "at-risk": "warning",
  "on-track": "neutral",
  paused: "neutral",
};

/** A due time as a badge; the text carries the meaning, the exact time is the title. */
export function SlaBadge({ badge }: { badge: SlaBadgeData }) {
  return (
    <Badge tone={TONES[badge.state]} data-testid="sla-badge" data-sla-state={badge.state}>
      {badge.iso ? (
        <time dateTime={badge.iso} title={badge.title}>
          {badge.text}
        </time>
      ) : (
        <span title={badge.title}>{badge.text}</span>
      )}
    </Badge>
  );
}
