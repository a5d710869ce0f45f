// Renders user-written Markdown (ticket descriptions and comments) with react-markdown + GFM.
// Safe by construction: raw HTML is escaped (no rehype-raw, no dangerouslySetInnerHTML), images
// are not rendered (tracking pixels), and links keep only the targets safeHref() allows
// (http(s), mailto, same-site); others lose their link and keep their words. External links
// open in a new tab without opener or referrer.
import type { ComponentProps } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { cn } from "@/components/ui/cn";
import { EXTERNAL_LINK_REL, safeHref } from "@/lib/tickets/markdown";

function SafeLink({ href, children }: ComponentProps<"a">) {
  const target = href ? safeHref(href) : null;
  if (!target) return <>{children}</>;
  return target.external ? (
    <a
      href={target.href}
      rel={EXTERNAL_LINK_REL}
      target="_blank"
      className="text-primary underline"
    >
      {children}
    </a>
  ) : (
    <a href={target.href} className="text-primary underline">
      {children}
    </a>
  );
}

// Headings inside a ticket sit below the page's own h1/h2.
const heading = (Tag: "h3" | "h4" | "h5" | "h6", size: string) =>
  function Heading({ children }: ComponentProps<"h3">) {
    return <Tag className={cn("font-semibold", size)}>{children}</Tag>;
  };

const components: Components = {
  a: SafeLink,
  h1: heading("h3", "text-lg"),
  h2: heading("h4", "text-base"),
  h3: heading("h5", "text-sm"),
  h4: heading("h6", "text-sm"),
  h5: heading("h6", "text-sm"),
  h6: heading("h6", "text-sm"),
  ul: ({ children }) => <ul className="list-disc space-y-1 pl-6">{children}</ul>,
  ol: ({ children }) => <ol className="list-decimal space-y-1 pl-6">{children}</ol>,
  blockquote: ({ children }) => (
    <blockquote className="border-l-4 border-line-strong pl-3 text-fg-muted">{children}</blockquote>
  ),
  pre: ({ children }) => (
    <pre className="overflow-x-auto rounded-md bg-surface-muted p-3 font-mono text-xs">
      {children}
    </pre>
  ),
  code: ({ children }) => (
    <code className="rounded bg-surface-muted px-1 py-0.5 font-mono text-[0.9em]">{children}</code>
  ),
  table: ({ children }) => (
    <div className="overflow-x-auto">
      <table className="min-w-full border-collapse text-left">{children}</table>
    </div>
  ),
  th: ({ children }) => <th className="border border-line px-2 py-1 font-semibold">{children}</th>,
  td: ({ children }) => <td className="border border-line px-2 py-1">{children}</td>,
  hr: () => <hr className="border-line" />,
};

/** Safe Markdown for user-written text. An empty source renders nothing. */
export function Markdown({ source, className }: { source: string; className?: string }) {
  if (source.trim() === "") return null;
  return (
    <div className={cn("space-y-3 text-sm leading-relaxed break-words text-fg", className)}>
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        components={components}
        disallowedElements={["img"]}
        // Keep the URL as written; SafeLink decides. react-markdown's default transform would
        // already blank javascript: URLs, but one policy (safeHref) is easier to reason about.
        urlTransform={(url) => url}
      >
        {source}
      </ReactMarkdown>
    </div>
  );
}
