import { AttachmentList } from "@/components/attachments/attachment-list";
import type { AttachmentListItem } from "@/lib/attachments/schemas";
import { Markdown } from "./markdown";

export type TicketDescriptionProps = {
  /** Sanitised HTML of the description ("" when there is none). */
  html: string;
  /** The files filed with the ticket, once the query provides them. */
  attachments?: AttachmentListItem[];
};

/** The ticket's description box on its page, with the files filed with it. */
export function TicketDescription({ html, attachments }: TicketDescriptionProps) {
  const files = attachments ?? [];
  return (
    <div className="min-w-0 rounded-lg border border-line bg-surface p-4" data-testid="description">
      {html ? (
        <Markdown html={html} />
      ) : (
        files.length === 0 && <p className="text-sm text-fg-muted">No description.</p>
      )}
      {files.length > 0 && (
        <AttachmentList className={html ? "mt-3" : undefined} attachments={files} />
      )}
    </div>
  );
}
