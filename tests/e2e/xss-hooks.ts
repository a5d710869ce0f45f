// Detectors for the T1 XSS suite (tests/e2e/xss.spec.ts). A payload "executes" when any of these
// fire in the real browser:
// - alert/confirm/prompt/print/open are replaced before any page script runs and record their
//   calls (`top.alert`, `window['al'+'ert']`, `parent['alert']` and `eval('alert(1)')` all reach
//   the same window functions);
// - a native dialog or popup still opening (a bypass of the replacement) is recorded and dismissed;
// - a `securitypolicyviolation` event: markup reached the live DOM and only the CSP stopped it
//   (the app's own pages cause none: tests/e2e/headers.spec.ts);
// - a DOM scan after each view: no `on*` attribute anywhere (React never writes one), no
//   javascript:/data:/vbscript: URL in a URL-bearing attribute, no <script>/<style> without the
//   response's nonce, no frame/object/embed/base/meta-refresh or other payload-only element, and
//   no link to another origin that looks same-site (no rel=noopener).
import { expect, type Page, type Response } from "@playwright/test";

export type XssFinding = { view: string; kind: string; detail: string };

type PageRecord = { calls: string[]; csp: string[] };

const INIT = () => {
  const w = window as unknown as Record<string, unknown> & { __t1: PageRecord };
  const record: PageRecord = { calls: [], csp: [] };
  Object.defineProperty(w, "__t1", { value: record, writable: false, configurable: false });
  for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
    const hook = (...args: unknown[]) => {
      record.calls.push(`${name}(${args.map((a) => String(a)).join(", ")})`);
      return name === "confirm" ? false : null;
    };
    Object.defineProperty(w, name, { value: hook, writable: false, configurable: false });
  }
  document.addEventListener("securitypolicyviolation", (e) => {
    record.csp.push(
      `${e.violatedDirective} blocked ${e.blockedURI || "inline"} sample=${JSON.stringify(e.sample)} at ${e.sourceFile}:${e.lineNumber}`,
    );
  });
};

// Runs in the page: returns one line per problem found.
const SCAN = (nonce: string): string[] => {
  const problems: string[] = [];
  const describe = (el: Element) => `<${el.localName}> ${el.outerHTML.slice(0, 160)}`;
  const dangerousUrl = /^(javascript|data|vbscript|livescript|mocha):/i;
  const urlAttributes = new Set([
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "dynsrc",
    "lowsrc",
    "codebase",
    "cite",
    "from",
    "to",
    "values",
  ]);
  const REACT_FORM_ACTION =
    "javascript:throw new Error('A React form was unexpectedly submitted. If you called form.submit() manually, consider using form.requestSubmit() instead.";
  const forbidden = new Set([
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "marquee",
    "keygen",
    "isindex",
    "layer",
    "bgsound",
    "xss",
    "x",
    "brute",
    "xml",
    "plaintext",
    "xmp",
    "math",
    "menu",
    "animate",
    "set",
    "foreignobject",
    "portal",
  ]);
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName.toLowerCase();
    if (forbidden.has(tag)) problems.push(`forbidden element ${describe(el)}`);
    // Chunks Next's nonced runtime loads later are trusted through 'strict-dynamic'.
    const nextChunk =
      tag === "script" &&
      new URL((el as HTMLScriptElement).src || "x:", location.href).origin === location.origin &&
      new URL((el as HTMLScriptElement).src, location.href).pathname.startsWith("/_next/static/");
    if (
      (tag === "script" || tag === "style") &&
      (el as HTMLElement).nonce !== nonce &&
      !nextChunk
    ) {
      problems.push(`${tag} without the page nonce ${describe(el)}`);
    }
    if (tag === "meta" && el.closest("body")) problems.push(`meta in body ${describe(el)}`);
    if (tag === "link" && el.closest("body") && !(el as HTMLElement).nonce) {
      problems.push(`link without nonce in body ${describe(el)}`);
    }
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on"))
        problems.push(`event-handler attribute ${name} on ${describe(el)}`);
      if (name === "srcdoc" || name === "formaction") {
        problems.push(`${name} attribute on ${describe(el)}`);
      }
      const value = attr.value.replace(/[\u0000-\u0020\u007f]+/g, "");
      // React's own marker on forms bound to server actions (never user text).
      const reactForm = name === "action" && attr.value.startsWith(REACT_FORM_ACTION);
      if (urlAttributes.has(name) && dangerousUrl.test(value) && !reactForm) {
        problems.push(`${name}=${value.slice(0, 80)} on ${describe(el)}`);
      }
    }
    if (tag === "a" && el.hasAttribute("href")) {
      const a = el as HTMLAnchorElement;
      const url = new URL(a.href, location.href);
      const external = url.origin !== location.origin;
      if (external && !/\bnoopener\b/.test(a.rel)) {
        problems.push(`link to ${url.origin} without rel=noopener ${describe(el)}`);
      }
    }
  }
  return problems;
};

function nonceOf(response: Response | null): string {
  const csp = response?.headers()["content-security-policy"] ?? "";
  return /'nonce-([^']+)'/.exec(csp)?.[1] ?? "";
}

/** One per test page: install before the first navigation. */
export class XssProbe {
  readonly findings: XssFinding[] = [];
  views = 0;
  private native: string[] = [];

  private constructor(private readonly page: Page) {}

  static async install(page: Page): Promise<XssProbe> {
    const probe = new XssProbe(page);
    await page.addInitScript(INIT);
    page.on("dialog", async (dialog) => {
      probe.native.push(`native ${dialog.type()} dialog: ${dialog.message()}`);
      await dialog.dismiss().catch(() => {});
    });
    page.on("popup", (popup) => {
      probe.native.push(`popup opened: ${popup.url()}`);
    });
    return probe;
  }

  /** Navigates, waits for hydration, then checks every detector. Returns the response. */
  async visit(view: string, url: string): Promise<Response | null> {
    const t0 = Date.now();
    const response = await this.page.goto(url);
    if (process.env.T1_TIMING)
      console.log(`goto ${Date.now() - t0} ms ${view} ${url.slice(0, 60)}`);
    expect(response?.status(), `${view}: ${url}`).toBeLessThan(400);
    await this.check(view, response);
    return response;
  }

  /** Checks the page as it is now (after a form submission, say). */
  async check(view: string, response: Response | null = null): Promise<void> {
    await this.page.waitForLoadState("load");
    await expect
      .poll(
        () => this.page.evaluate(() => "next" in window && document.readyState === "complete"),
        { timeout: 60_000 }, // pages holding every payload are large
      )
      .toBe(true);
    // Give load/error/focus handlers of anything that did get parsed a moment to fire.
    await this.page.waitForTimeout(50);
    const nonce =
      nonceOf(response) ||
      (await this.page.evaluate(
        () => (document.querySelector("script[nonce]") as HTMLScriptElement | null)?.nonce ?? "",
      ));
    expect(nonce, `${view}: the page has a CSP nonce`).not.toBe("");
    const [record, problems] = await Promise.all([
      this.page.evaluate(() => (window as unknown as { __t1: PageRecord }).__t1),
      this.page.evaluate(SCAN, nonce),
    ]);
    const add = (kind: string, details: string[]) =>
      details.forEach((detail) => this.findings.push({ view, kind, detail }));
    add("call", record.calls);
    add("csp", record.csp);
    add("dom", problems);
    add("native", this.native.splice(0));
    this.views += 1;
  }

  /** Text content of the whole document (what a person reads; markup never counts as text). */
  bodyText(): Promise<string> {
    return this.page.evaluate(() => document.body.textContent ?? "");
  }
}
