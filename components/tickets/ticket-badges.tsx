import { Badge, type BadgeTone } from "@/components/ui/badge";
import {
  PRIORITY_LABELS,
  statusLabel,
  type StatusAudience,
  type TicketPriority,
  type TicketStatus,
} from "@/lib/tickets/status";

const STATUS_TONES: Record<TicketStatus, BadgeTone> = {
  NEW: "info",
  OPEN: "accent",
  IN_PROGRESS: "accent",
  ON_HOLD: "warning",
  RESOLVED: "success",
  CLOSED: "neutral",
};

const PRIORITY_TONES: Record<TicketPriority, BadgeTone> = {
  LOW: "neutral",
  MEDIUM: "info",
  HIGH: "warning",
  URGENT: "danger",
};

// The text carries the meaning ("Priority: High"); the colour only helps.
// `audience`: the requester reads their own words for a status ("Waiting for you").
export function StatusBadge({
  status,
  audience = "staff",
}: {
  status: TicketStatus;
  audience?: StatusAudience;
}) {
  return (
    <Badge tone={STATUS_TONES[status]} data-testid="ticket-status">
      {statusLabel(status, audience)}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  return (
    <Badge tone={PRIORITY_TONES[priority]}>
      <span className="sr-only">Priority: </span>
      {PRIORITY_LABELS[priority]}
    </Badge>
  );
}
