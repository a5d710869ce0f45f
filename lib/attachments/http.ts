import "server-only";
// The HTTP side of attachments shared by the upload and download routes: RFC 9457 problem
// answers and the headers every served file gets.
import { create as contentDisposition } from "content-disposition";
import { INLINE_IMAGE_TYPES } from "@/lib/attachments/types";
import { ATTACHMENT_CSP } from "@/lib/security/headers";

/** An RFC 9457 problem answer; `detail` is what the form shows. */
export function problem(status: number, title: string, detail?: string, extra: HeadersInit = {}) {
  return Response.json(
    { type: "about:blank", title, status, ...(detail && { detail }) },
    {
      status,
      headers: {
        "content-type": "application/problem+json",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        ...extra,
      },
    },
  );
}

/**
 * Only re-encoded raster images are ever shown inline; everything else (PDF, text, office files,
 * and HTML or SVG that arrive as text) is a download.
 */
export function dispositionOf(contentType: string, download: boolean): "inline" | "attachment" {
  return !download && INLINE_IMAGE_TYPES.has(contentType) ? "inline" : "attachment";
}

/** The headers of a served file: the checked type, no sniffing, no scripts, private caching. */
export function fileHeaders(file: {
  name: string;
  contentType: string;
  size?: number;
  disposition: "inline" | "attachment";
}): Record<string, string> {
  return {
    // Text is served as text/plain with a charset: never as HTML, whatever it contains.
    "content-type":
      file.contentType === "text/plain" ? "text/plain; charset=utf-8" : file.contentType,
    "content-disposition": contentDisposition(file.name, { type: file.disposition }),
    "x-content-type-options": "nosniff",
    // A file opened directly in the browser runs in a sandbox: no scripts, no forms, no origin.
    "content-security-policy": ATTACHMENT_CSP,
    "cross-origin-resource-policy": "same-origin",
    // Access is re-checked on every request: no shared caches, a short private one.
    "cache-control": "private, max-age=300",
    ...(file.size !== undefined && { "content-length": String(file.size) }),
  };
}
