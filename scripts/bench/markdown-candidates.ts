// The parsers that `npm run bench -- --markdown` compares (scripts/bench/markdown.ts).
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import { Marked } from "marked";
import MarkdownIt from "markdown-it";
import { renderMarkdown } from "../../lib/markdown/render";

export type Candidate = { name: string; slow?: boolean; render: (source: string) => string };

const markdownIt = new MarkdownIt("default", { html: false, linkify: true });
const marked = new Marked({ gfm: true, async: false });

export const CANDIDATES: Candidate[] = [
  {
    name: "react-markdown 10.1 + remark-gfm 4 (old, per view)",
    slow: true,
    render: (source) =>
      renderToStaticMarkup(
        createElement(
          ReactMarkdown,
          { remarkPlugins: [remarkGfm], disallowedElements: ["img"], urlTransform: (u) => u },
          source,
        ),
      ),
  },
  {
    name: "micromark 4 + GFM (HTML)",
    slow: true,
    render: (source) => micromark(source, { extensions: [gfm()], htmlExtensions: [gfmHtml()] }),
  },
  { name: "marked 18 (GFM)", slow: true, render: (source) => marked.parse(source) as string },
  { name: "markdown-it 15 (GFM tables, linkify)", render: (source) => markdownIt.render(source) },
  {
    name: "Tessera renderMarkdown (markdown-it + limits + sanitize-html)",
    render: (source) => renderMarkdown(source, { ms: Number.POSITIVE_INFINITY }).html,
  },
];
