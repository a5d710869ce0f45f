// Renders ticket descriptions and comments from the safe Markdown tree of lib/tickets/markdown.ts
// as React elements: text is always escaped by React, raw HTML is never interpreted (no
// dangerouslySetInnerHTML, no rehype-raw), images are not supported at all, and links carry only
// the targets safeHref() kept. External links open in a new tab without referrer or opener.
import { Fragment, type ReactNode } from "react";
import { EXTERNAL_LINK_REL, parseMarkdown, type Block, type Inline } from "@/lib/tickets/markdown";
import { cn } from "@/components/ui/cn";

function renderInline(nodes: Inline[]): ReactNode[] {
  return nodes.map((node, i) => {
    switch (node.type) {
      case "text":
        return <Fragment key={i}>{node.text}</Fragment>;
      case "code":
        return (
          <code key={i} className="rounded bg-surface-muted px-1 py-0.5 font-mono text-[0.9em]">
            {node.text}
          </code>
        );
      case "strong":
        return <strong key={i}>{renderInline(node.children)}</strong>;
      case "em":
        return <em key={i}>{renderInline(node.children)}</em>;
      case "link":
        return node.external ? (
          <a
            key={i}
            href={node.href}
            rel={EXTERNAL_LINK_REL}
            target="_blank"
            className="break-words text-link underline underline-offset-2"
          >
            {renderInline(node.children)}
          </a>
        ) : (
          <a key={i} href={node.href} className="text-link underline underline-offset-2">
            {renderInline(node.children)}
          </a>
        );
    }
  });
}

const HEADING_CLASSES = "font-semibold text-fg";

function renderBlocks(blocks: Block[]): ReactNode[] {
  return blocks.map((block, i) => {
    switch (block.type) {
      case "paragraph":
        return (
          <p key={i} className="whitespace-pre-line">
            {renderInline(block.children)}
          </p>
        );
      case "heading": {
        // Headings inside user content never compete with the page's h1/h2 outline.
        const Tag = block.level <= 2 ? "h3" : "h4";
        return (
          <Tag key={i} className={cn(HEADING_CLASSES, block.level <= 2 ? "text-lg" : "text-base")}>
            {renderInline(block.children)}
          </Tag>
        );
      }
      case "code":
        return (
          <pre
            key={i}
            className="overflow-x-auto rounded-md bg-surface-muted p-3 font-mono text-sm whitespace-pre"
          >
            <code>{block.text}</code>
          </pre>
        );
      case "quote":
        return (
          <blockquote
            key={i}
            className="space-y-2 border-l-4 border-line-strong pl-3 text-fg-muted"
          >
            {renderBlocks(block.children)}
          </blockquote>
        );
      case "list": {
        const List = block.ordered ? "ol" : "ul";
        return (
          <List
            key={i}
            className={cn("space-y-1 pl-6", block.ordered ? "list-decimal" : "list-disc")}
          >
            {block.items.map((item, j) => (
              <li key={j} className="whitespace-pre-line">
                {renderInline(item)}
              </li>
            ))}
          </List>
        );
      }
      case "rule":
        return <hr key={i} className="border-line" />;
    }
  });
}

/** Safe Markdown for user-written text. An empty source renders nothing. */
export function Markdown({ source, className }: { source: string; className?: string }) {
  if (source.trim() === "") return null;
  return (
    <div className={cn("space-y-3 text-sm leading-relaxed break-words text-fg", className)}>
      {renderBlocks(parseMarkdown(source))}
    </div>
  );
}
