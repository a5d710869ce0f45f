// The ticket domain's name for the Markdown link policy, which lives in lib/markdown/links.ts.
export { EXTERNAL_LINK_REL, safeHref } from "@/lib/markdown/links";
