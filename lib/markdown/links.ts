// The link policy for user-written Markdown (lib/markdown/render.ts applies it when rendering
// and again when sanitising): only http(s), mailto and same-site relative targets survive; anything else
// (javascript:, data:, vbscript:, file:, protocol-relative //host) loses its link. Client-safe.

/** rel for external links (issue 3: noopener noreferrer nofollow). */
export const EXTERNAL_LINK_REL = "noopener noreferrer nofollow";

/** The href to render, or null when the target is not allowed. */
export function safeHref(raw: string): { href: string; external: boolean } | null {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
  const href = raw.trim().replace(/[\u0000-\u001F\u007F\s]+/g, "");
  if (href === "" || href.length > 2048) return null;
  if (/^https?:\/\/[^/]/i.test(href)) return { href, external: true };
  if (/^mailto:[^@\s]+@[^@\s]+$/i.test(href)) return { href, external: true };
  // Same-site paths and anchors; "//host" would be protocol-relative (external, scheme-less).
  if (/^\/(?!\/)/.test(href) || href.startsWith("#")) return { href, external: false };
  return null;
}
