"use client";
import { useState, type FormEvent, type ReactNode } from "react";
import { useAction } from "@/components/forms/use-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Select } from "@/components/ui/select";
import type { ActionResult } from "@/lib/action";
import {
  assignTicketAction,
  changeTicketCategoryAction,
  changeTicketPriorityAction,
  changeTicketStatusAction,
  takeTicketAction,
} from "@/lib/tickets/actions";
import {
  PRIORITY_LABELS,
  STATUS_LABELS,
  TICKET_PRIORITIES,
  type TicketPriority,
  type TicketStatus,
} from "@/lib/tickets/status";

type Option = { id: string; name: string };

export type TicketTriageProps = {
  ticketId: string;
  version: number;
  status: TicketStatus;
  transitions: TicketStatus[];
  priority: TicketPriority;
  category: Option;
  assignee: Option | null;
  categories: Option[];
  staff: Option[];
  viewerId: string;
};

/**
 * Staff controls. Every change sends the version the page was rendered with (or the newer one a
 * previous change here returned), so an edit made by someone else meanwhile is refused with
 * "changed since you opened it" instead of being overwritten.
 */
export function TicketTriage(props: TicketTriageProps) {
  const { run, pending, status } = useAction({ refresh: true });
  const [localVersion, setLocalVersion] = useState(props.version);
  const version = Math.max(localVersion, props.version);

  function change(
    success: string,
    call: (version: number) => Promise<ActionResult<{ version: number }>>,
  ) {
    run(() => call(version), {
      onSuccess: (data) => {
        setLocalVersion(data.version);
        return success;
      },
    });
  }

  const submit =
    (name: string, handler: (value: string) => void) => (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const value = new FormData(event.currentTarget).get(name);
      handler(typeof value === "string" ? value : "");
    };

  // Categories list shows archived current category too, so the select never lies.
  const categories = props.categories.some((c) => c.id === props.category.id)
    ? props.categories
    : [props.category, ...props.categories];
  const staff =
    props.assignee && !props.staff.some((s) => s.id === props.assignee!.id)
      ? [props.assignee, ...props.staff]
      : props.staff;
  const { ticketId } = props;

  return (
    <section aria-labelledby="triage-heading" className="space-y-4" data-testid="triage">
      <h2 id="triage-heading" className="text-base font-semibold">
        Triage
      </h2>
      <FormMessage status={status} />
      {props.assignee?.id !== props.viewerId && (
        <Button
          fullWidth
          loading={pending}
          onClick={() =>
            change("You took this ticket.", (v) => takeTicketAction({ ticketId, version: v }))
          }
        >
          Take it
        </Button>
      )}
      <ControlForm
        label="Status"
        name="status"
        pending={pending}
        onSubmit={submit("status", (status) =>
          change(`Status changed to ${STATUS_LABELS[status as TicketStatus] ?? status}.`, (v) =>
            changeTicketStatusAction({ ticketId, version: v, status }),
          ),
        )}
        disabled={props.transitions.length === 0}
        defaultValue={props.status}
      >
        <option value={props.status} disabled>
          {STATUS_LABELS[props.status]} (current)
        </option>
        {props.transitions.map((s) => (
          <option key={s} value={s}>
            {STATUS_LABELS[s]}
          </option>
        ))}
      </ControlForm>
      <ControlForm
        label="Priority"
        name="priority"
        pending={pending}
        defaultValue={props.priority}
        onSubmit={submit("priority", (priority) =>
          change("Priority changed.", (v) =>
            changeTicketPriorityAction({ ticketId, version: v, priority }),
          ),
        )}
      >
        {TICKET_PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {PRIORITY_LABELS[p]}
          </option>
        ))}
      </ControlForm>
      <ControlForm
        label="Category"
        name="categoryId"
        pending={pending}
        defaultValue={props.category.id}
        onSubmit={submit("categoryId", (categoryId) =>
          change("Category changed.", (v) =>
            changeTicketCategoryAction({ ticketId, version: v, categoryId }),
          ),
        )}
      >
        {categories.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </ControlForm>
      <ControlForm
        label="Assignee"
        name="assigneeId"
        pending={pending}
        defaultValue={props.assignee?.id ?? ""}
        onSubmit={submit("assigneeId", (assigneeId) =>
          change(assigneeId ? "Assignee changed." : "Ticket unassigned.", (v) =>
            assignTicketAction({ ticketId, version: v, assigneeId }),
          ),
        )}
      >
        <option value="">Unassigned</option>
        {staff.map((s) => (
          <option key={s.id} value={s.id}>
            {s.id === props.viewerId ? `${s.name} (me)` : s.name}
          </option>
        ))}
      </ControlForm>
    </section>
  );
}

function ControlForm({
  label,
  name,
  defaultValue,
  disabled,
  pending,
  onSubmit,
  children,
}: {
  label: string;
  name: string;
  defaultValue: string;
  disabled?: boolean;
  pending: boolean;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  children: ReactNode;
}) {
  // Keyed by the current value so a refresh after a change resets the select to the truth.
  return (
    <form
      method="post"
      onSubmit={onSubmit}
      aria-label={`Change ${label.toLowerCase()}`}
      key={defaultValue}
    >
      <Field label={label}>
        {(control) => (
          <div className="flex gap-2">
            <div className="min-w-0 flex-1">
              <Select name={name} defaultValue={defaultValue} disabled={disabled} {...control}>
                {children}
              </Select>
            </div>
            <Button type="submit" variant="secondary" disabled={disabled || pending}>
              Save
            </Button>
          </div>
        )}
      </Field>
    </form>
  );
}
