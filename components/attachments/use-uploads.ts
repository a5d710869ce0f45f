"use client";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  FILE_NAME_HEADER,
  type AttachmentInfo,
  type AttachmentLimits,
} from "@/lib/attachments/schemas";
import { asAttachmentInfo, checkPicked, parseJson, problemMessage } from "./upload-rules";

type UploadBase = { localId: string; name: string; size: number };

/** One file of the message being written, from the pick to the server's answer. */
export type Upload = UploadBase &
  (
    | { state: "uploading"; progress: number }
    | { state: "done"; info: AttachmentInfo }
    | { state: "failed"; message: string }
  );

export type Uploads = {
  uploads: Upload[];
  /** The ids of the finished uploads: the message's `attachmentIds`. */
  ids: string[];
  /** An upload is still running (the message must wait). */
  busy: boolean;
  /** The last change worth announcing to a screen reader ("report.pdf uploaded."). */
  announcement: string;
  limits: AttachmentLimits;
  add: (files: FileList | readonly File[]) => void;
  /** Drops a file from the message (an upload in progress is aborted). */
  remove: (localId: string) => void;
  /** Empties the list (after the message was sent); running uploads are aborted. */
  reset: () => void;
};

let counter = 0;
const nextId = () => `upload-${Date.now().toString(36)}-${(counter += 1)}`;

/**
 * The files of one message: each is sent at once by its own request (POST /api/attachments, the
 * raw bytes, with progress), then the message names the finished ones by id. Files over the
 * limits are refused here, without sending.
 */
export function useUploads(limits: AttachmentLimits): Uploads {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [announcement, setAnnouncement] = useState("");
  const requests = useRef(new Map<string, XMLHttpRequest>());
  // The count the next add() checks against, current even between two renders.
  const listRef = useRef<Upload[]>([]);
  useEffect(() => {
    listRef.current = uploads;
  }, [uploads]);

  const update = useCallback((localId: string, next: (u: UploadBase) => Upload) => {
    setUploads((list) => list.map((u) => (u.localId === localId ? next(u) : u)));
  }, []);

  const send = useCallback(
    (localId: string, file: File) => {
      const xhr = new XMLHttpRequest();
      requests.current.set(localId, xhr);
      const settle = (result: (u: UploadBase) => Upload, said: string) => {
        requests.current.delete(localId);
        update(localId, result);
        setAnnouncement(said);
      };
      const fail = (message: string) =>
        settle((u) => ({ ...base(u), state: "failed", message }), `${file.name}: ${message}`);
      xhr.upload.onprogress = (event) => {
        if (!event.lengthComputable || event.total === 0) return;
        const progress = Math.min(100, Math.round((event.loaded / event.total) * 100));
        update(localId, (u) => ({ ...base(u), state: "uploading", progress }));
      };
      xhr.onload = () => {
        const body = parseJson(xhr.responseText);
        const info = xhr.status === 201 ? asAttachmentInfo(body) : null;
        if (info) {
          settle((u) => ({ ...base(u), state: "done", info }), `${file.name} uploaded.`);
        } else {
          fail(problemMessage(xhr.status, body));
        }
      };
      xhr.onerror = () => fail("The connection failed before the upload finished. Try again.");
      xhr.ontimeout = xhr.onerror;
      xhr.open("POST", "/api/attachments");
      xhr.setRequestHeader(FILE_NAME_HEADER, encodeURIComponent(file.name));
      xhr.setRequestHeader("content-type", file.type || "application/octet-stream");
      xhr.send(file);
    },
    [update],
  );

  const add = useCallback(
    (picked: FileList | readonly File[]) => {
      const files = Array.from(picked);
      if (files.length === 0) return;
      const taken = listRef.current.filter((u) => u.state !== "failed").length;
      const verdicts = checkPicked(files, taken, limits);
      const added: Upload[] = files.map((file, i) => {
        const verdict = verdicts[i]!;
        const row = { localId: nextId(), name: file.name, size: file.size };
        return verdict.ok
          ? { ...row, state: "uploading", progress: 0 }
          : { ...row, state: "failed", message: verdict.message };
      });
      listRef.current = [...listRef.current, ...added];
      setUploads((list) => [...list, ...added]);
      const sending = added.filter((u) => u.state === "uploading");
      const refused = added.length - sending.length;
      setAnnouncement(
        [
          sending.length > 0 &&
            `Uploading ${sending.length === 1 ? sending[0]!.name : `${sending.length} files`}.`,
          refused > 0 && `${refused} ${refused === 1 ? "file was" : "files were"} not added.`,
        ]
          .filter(Boolean)
          .join(" "),
      );
      added.forEach((u, i) => {
        if (u.state === "uploading") send(u.localId, files[i]!);
      });
    },
    [limits, send],
  );

  const remove = useCallback((localId: string) => {
    const xhr = requests.current.get(localId);
    requests.current.delete(localId);
    xhr?.abort();
    const gone = listRef.current.find((u) => u.localId === localId);
    listRef.current = listRef.current.filter((u) => u.localId !== localId);
    setUploads((list) => list.filter((u) => u.localId !== localId));
    if (gone) setAnnouncement(`${gone.name} removed.`);
  }, []);

  const reset = useCallback(() => {
    for (const xhr of requests.current.values()) xhr.abort();
    requests.current.clear();
    listRef.current = [];
    setUploads([]);
    setAnnouncement("");
  }, []);

  // Leaving the page (or the form) stops what is still being sent.
  useEffect(() => {
    const running = requests.current;
    return () => {
      for (const xhr of running.values()) xhr.abort();
      running.clear();
    };
  }, []);

  const ids = useMemo(
    () => uploads.flatMap((u) => (u.state === "done" ? [u.info.id] : [])),
    [uploads],
  );
  const busy = uploads.some((u) => u.state === "uploading");
  return { uploads, ids, busy, announcement, limits, add, remove, reset };
}

const base = ({ localId, name, size }: UploadBase): UploadBase => ({ localId, name, size });
