"use client";
import { useState } from "react";
import { ConfirmButton } from "@/components/admin/confirm-button";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { deleteCannedResponseAction, deleteSharedCannedResponseAction } from "@/lib/canned/actions";
import { CannedEditForm } from "./canned-response-form";
import { useAction } from "./use-action";

export type CannedItemData = {
  id: string;
  title: string;
  body: string;
  shared: boolean;
  editable: boolean;
};

/**
 * One canned response on the management page: its title and text (as text: the snippet is
 * Markdown that only becomes HTML once it is sent in a reply), and Edit / Delete when the viewer
 * may change it.
 */
export function CannedResponseItem({ canned }: { canned: CannedItemData }) {
  const [editing, setEditing] = useState(false);
  const { run, pending, status } = useAction({ refresh: true });
  return (
    <li className="space-y-2 px-4 py-3" data-testid="canned-item" aria-busy={pending || undefined}>
      <FormMessage status={status} />
      {editing ? (
        <CannedEditForm canned={canned} onDone={() => setEditing(false)} />
      ) : (
        <>
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="min-w-0 flex-1 font-medium break-words">{canned.title}</h3>
            <Badge tone={canned.shared ? "info" : "neutral"}>
              {canned.shared ? "Shared" : "Personal"}
            </Badge>
          </div>
          <p className="line-clamp-4 text-sm wrap-anywhere whitespace-pre-wrap text-fg-muted">
            {canned.body}
          </p>
          {canned.editable && (
            <div className="flex flex-wrap gap-2">
              <Button
                size="sm"
                variant="secondary"
                aria-label={`Edit ${canned.title}`}
                onClick={() => setEditing(true)}
              >
                Edit
              </Button>
              <ConfirmButton
                label="Delete"
                confirmLabel={`Delete ${canned.title}`}
                question="Delete this response?"
                variant="danger"
                pending={pending}
                onConfirm={() =>
                  run(() =>
                    (canned.shared ? deleteSharedCannedResponseAction : deleteCannedResponseAction)(
                      { cannedId: canned.id },
                    ),
                  )
                }
              />
            </div>
          )}
        </>
      )}
    </li>
  );
}
