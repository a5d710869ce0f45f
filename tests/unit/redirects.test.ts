import { describe, expect, it } from "vitest";
import { authConfig } from "@/lib/auth/config";
import { safeCallbackUrl } from "@/lib/auth/schemas";
import { isSameOriginRequest, publicOrigin } from "@/lib/security/headers";

// Issue 10 §5b: a callbackUrl with CR/LF answered 500 (Node refuses it in a Location header);
// Auth.js's redirects and ours said localhost:PORT whatever host the request came to.

const CONTROL = [
  "/tickets\r\nSet-Cookie: x=1",
  "/tickets\n",
  "/a\rb",
  "/a\u0000",
  "/a\tb",
  "/a\u007f",
];

describe("safeCallbackUrl", () => {
  it.each(CONTROL)("sends %j home", (value) => {
    expect(safeCallbackUrl(value)).toBe("/");
  });

  it("sends backslashes home (browsers read them as slashes)", () => {
    expect(safeCallbackUrl("/a\\b")).toBe("/");
  });

  it("keeps an ordinary path", () => {
    expect(safeCallbackUrl("/tickets/12?x=%0D%0A")).toBe("/tickets/12?x=%0D%0A");
  });
});

describe("Auth.js redirect callback", () => {
  const redirect = (url: string) =>
    authConfig.callbacks.redirect({ url, baseUrl: "https://help.example.com" });

  it.each(CONTROL)("sends %j to the base URL", (url) => {
    expect(redirect(url)).toBe("https://help.example.com");
    expect(redirect(`https://help.example.com${url}`)).toBe("https://help.example.com");
  });

  it("keeps same-origin targets and refuses others", () => {
    expect(redirect("/tickets")).toBe("https://help.example.com/tickets");
    expect(redirect("https://help.example.com/x")).toBe("https://help.example.com/x");
    expect(redirect("https://evil.example/x")).toBe("https://help.example.com");
    expect(redirect("//evil.example/x")).toBe("https://help.example.com");
    expect(redirect("not a url")).toBe("https://help.example.com");
  });
});

describe("publicOrigin", () => {
  const bind = new URL("http://localhost:3000/tickets");

  it("prefers AUTH_URL", () => {
    const h = new Headers({ "x-forwarded-proto": "http", "x-forwarded-host": "a.example" });
    expect(publicOrigin(h, bind, "https://help.example.com/")).toBe("https://help.example.com");
  });

  it("else the forwarded proto and host that scripts/server.ts set, not the bind address", () => {
    const h = new Headers({ "x-forwarded-proto": "https", "x-forwarded-host": "help.example.com" });
    expect(publicOrigin(h, bind, undefined)).toBe("https://help.example.com");
  });

  it("falls back to the request URL on anything malformed", () => {
    for (const host of ["evil.example/x", "a b", "user@evil.example", "a.example:99999x"]) {
      const h = new Headers({ "x-forwarded-proto": "https", "x-forwarded-host": host });
      expect(publicOrigin(h, bind, undefined), host).toBe(bind.origin);
    }
    const h = new Headers({ "x-forwarded-proto": "gopher", "x-forwarded-host": "a.example" });
    expect(publicOrigin(h, bind, undefined)).toBe(bind.origin);
  });
});

describe("isSameOriginRequest", () => {
  const url = new URL("http://localhost:3000/admin/audit/export");
  const base = { "x-forwarded-proto": "https", "x-forwarded-host": "help.example.com" };

  it("accepts our own origin", () => {
    const h = new Headers({ ...base, origin: "https://help.example.com" });
    expect(isSameOriginRequest(h, url, undefined)).toBe(true);
    h.set("sec-fetch-site", "same-origin");
    expect(isSameOriginRequest(h, url, undefined)).toBe(true);
  });

  it.each([
    [{ origin: "https://evil.example" }],
    [{ origin: "http://help.example.com" }],
    [{ origin: "null" }],
    [{}],
    [{ origin: "https://help.example.com", "sec-fetch-site": "cross-site" }],
    [{ origin: "https://help.example.com", "sec-fetch-site": "same-site" }],
  ])("refuses %j", (extra) => {
    expect(isSameOriginRequest(new Headers({ ...base, ...extra }), url, undefined)).toBe(false);
  });
});
