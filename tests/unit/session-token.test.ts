import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { SESSION_REISSUE_SECONDS, readSession, reissuedCookie } from "@/lib/auth/session-token";

// The per-request session read (ADR 018): Auth.js's token format and the jwt callback's lifetime
// rules, without Auth.js's full request handling. AUTH_SECRET is the test one (vitest.config.ts).
const now = () => Math.floor(Date.now() / 1000);

async function cookie(
  claims: Record<string, unknown>,
  name = "authjs.session-token",
  secret = process.env.AUTH_SECRET!,
) {
  const value = await encode({ token: claims, secret, salt: name, maxAge: 3600 });
  return `other=1; ${name}=${value}; theme=dark`;
}

const staff = (lastSeenAgo: number, authAgo = 600) => ({
  uid: "u1",
  role: "TECHNICIAN",
  sv: 3,
  at: now() - authAgo,
  ls: now() - lastSeenAgo,
});

describe("readSession", () => {
  it("reads the claims of a live session and leaves a recently used cookie alone", async () => {
    const read = await readSession(await cookie(staff(5)));
    expect(read).toMatchObject({
      state: "valid",
      cookie: "authjs.session-token",
      claims: { id: "u1", role: "TECHNICIAN", sessionVersion: 3 },
      reissue: null,
    });
  });

  it("moves the idle clock once a minute: the re-issued token decodes with ls = now", async () => {
    const read = await readSession(await cookie(staff(SESSION_REISSUE_SECONDS + 1)));
    if (read.state !== "valid" || !read.reissue)
      throw new Error(`expected a reissue: ${read.state}`);
    expect(read.reissue.ls).toBeGreaterThanOrEqual(now() - 1);
    const next = await reissuedCookie(read.cookie, read.reissue);
    expect(next.options).toMatchObject({ httpOnly: true, sameSite: "lax", secure: false });
    const again = await readSession(`${next.name}=${next.value}`);
    expect(again).toMatchObject({ state: "valid", reissue: null, claims: { id: "u1" } });
  });

  it("ends an idle staff session and a session past its absolute lifetime", async () => {
    // Staff idle limit: 30 minutes by default (lib/auth/session-policy.ts).
    expect(await readSession(await cookie(staff(31 * 60)))).toEqual({
      state: "ended",
      cookie: "authjs.session-token",
    });
    expect((await readSession(await cookie(staff(5, 13 * 3600)))).state).toBe("ended");
  });

  it("ends a tampered cookie or one signed with another secret; no cookie is no session", async () => {
    const good = await cookie(staff(5));
    const tampered = good.replace(
      /session-token=(.)/,
      (_m, c: string) => `session-token=${c === "a" ? "b" : "a"}`,
    );
    expect((await readSession(tampered)).state).toBe("ended");
    const foreign = await cookie(staff(5), "authjs.session-token", "x".repeat(40));
    expect((await readSession(foreign)).state).toBe("ended");
    expect(await readSession("theme=dark")).toEqual({ state: "none" });
    expect(await readSession(null)).toEqual({ state: "none" });
  });

  it("reads the __Secure- cookie over HTTPS with its own salt, and re-issues it as Secure", async () => {
    const read = await readSession(await cookie(staff(120), "__Secure-authjs.session-token"));
    if (read.state !== "valid" || !read.reissue) throw new Error("expected a reissue");
    expect(read.cookie).toBe("__Secure-authjs.session-token");
    expect((await reissuedCookie(read.cookie, read.reissue)).options.secure).toBe(true);
    // The plain cookie's salt does not open the secure cookie's token.
    const value = (await cookie(staff(5), "__Secure-authjs.session-token")).split("=")[2]!;
    expect((await readSession(`authjs.session-token=${value.split(";")[0]}`)).state).toBe("ended");
  });
});
