// Shows user-written Markdown (ticket descriptions and comments) that was rendered to sanitised
// HTML when it was written (lib/markdown/render.ts, ADR 015). Nothing is parsed here: the cost of
// showing a comment is copying its stored HTML, whatever its text (issue 10 §1).
// The HTML is safe by construction and sanitised again before it was stored: raw HTML escaped,
// no images, links only to http(s)/mailto/same-site targets with rel="noopener noreferrer
// nofollow"; the styles live in app/globals.css (.md).
import { cn } from "@/components/ui/cn";

/** Stored sanitised HTML of user-written Markdown. An empty rendering shows nothing. */
export function Markdown({ html, className }: { html: string; className?: string }) {
  if (html === "") return null;
  return (
    <div
      className={cn("md space-y-3 text-sm leading-relaxed break-words text-fg", className)}
      // Sanitised by renderMarkdown (markdown-it with html: false, then sanitize-html).
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
