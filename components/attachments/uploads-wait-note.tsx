/**
 * Why a message's send button is off while files are still uploading. Always mounted (the send
 * button points at it with aria-describedby); it says something only while `busy`.
 */
export function UploadsWaitNote({ id, busy }: { id: string; busy: boolean }) {
  return (
    <p id={id} className="text-sm text-fg-muted empty:hidden" data-testid="uploads-wait">
      {busy && "Waiting for uploads…"}
    </p>
  );
}
