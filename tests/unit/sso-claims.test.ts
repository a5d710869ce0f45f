import { describe, expect, it } from "vitest";
import { groupsFromClaims, identityFromClaims, roleForGroups } from "@/lib/auth/sso/claims";
import { failureReason } from "@/lib/auth/sso/failure-reason";
import { ssoMessage } from "@/lib/auth/sso/messages";

// The claim -> role mapping of single sign-on (docs/decisions/029-single-sign-on.md).
const mapping = { adminGroups: ["tessera-admins"], technicianGroups: ["it", "tessera-techs"] };

describe("roleForGroups", () => {
  it("maps admin groups to ADMIN, technician groups to TECHNICIAN, anything else to USER", () => {
    expect(roleForGroups(["tessera-admins"], mapping)).toBe("ADMIN");
    expect(roleForGroups(["it"], mapping)).toBe("TECHNICIAN");
    expect(roleForGroups(["tessera-techs", "x"], mapping)).toBe("TECHNICIAN");
    expect(roleForGroups(["sales"], mapping)).toBe("USER");
    expect(roleForGroups([], mapping)).toBe("USER");
  });

  it("the highest matching role wins", () => {
    expect(roleForGroups(["it", "tessera-admins"], mapping)).toBe("ADMIN");
  });

  it("compares exactly (case and whitespace matter)", () => {
    expect(roleForGroups(["Tessera-Admins"], mapping)).toBe("USER");
    expect(roleForGroups([" it"], mapping)).toBe("USER");
  });

  it("no mapping configured: everyone is a user", () => {
    expect(roleForGroups(["tessera-admins"], { adminGroups: [], technicianGroups: [] })).toBe(
      "USER",
    );
  });
});

describe("groupsFromClaims", () => {
  it("reads an array, a single string, a dotted path and a claim named with dots", () => {
    expect(groupsFromClaims({ groups: ["a", "b"] }, "groups")).toEqual(["a", "b"]);
    expect(groupsFromClaims({ groups: "a" }, "groups")).toEqual(["a"]);
    expect(groupsFromClaims({ realm_access: { roles: ["r"] } }, "realm_access.roles")).toEqual([
      "r",
    ]);
    expect(groupsFromClaims({ "https://x.test/roles": ["z"] }, "https://x.test/roles")).toEqual([
      "z",
    ]);
  });

  it("ignores what is not a list of strings", () => {
    expect(groupsFromClaims({}, "groups")).toEqual([]);
    expect(groupsFromClaims({ groups: 5 }, "groups")).toEqual([]);
    expect(groupsFromClaims({ groups: [1, null, "ok", ""] }, "groups")).toEqual(["ok"]);
    expect(groupsFromClaims({ realm_access: null }, "realm_access.roles")).toEqual([]);
    // Not the prototype's properties.
    expect(groupsFromClaims({}, "constructor.name")).toEqual([]);
  });
});

describe("identityFromClaims", () => {
  const issuer = "https://idp.example.test";
  it('only email_verified true (or the string "true") counts as verified', () => {
    const base = { sub: "s1", email: "Ada@Example.TEST" };
    expect(identityFromClaims({ ...base, email_verified: true }, issuer, "groups")).toMatchObject({
      issuer,
      subject: "s1",
      email: "ada@example.test",
      emailVerified: true,
    });
    expect(
      identityFromClaims({ ...base, email_verified: "true" }, issuer, "groups")?.emailVerified,
    ).toBe(true);
    expect(
      identityFromClaims({ ...base, email_verified: false }, issuer, "groups")?.emailVerified,
    ).toBe(false);
    expect(identityFromClaims(base, issuer, "groups")?.emailVerified).toBe(false);
    expect(
      identityFromClaims({ ...base, email_verified: 1 }, issuer, "groups")?.emailVerified,
    ).toBe(false);
  });

  it("refuses a token without a subject; drops an implausible email", () => {
    expect(identityFromClaims({ email: "a@b.test" }, issuer, "groups")).toBeNull();
    const noEmail = identityFromClaims(
      { sub: "s", email: "not an email", email_verified: true },
      issuer,
      "groups",
    );
    expect(noEmail).toMatchObject({ email: null, emailVerified: false });
  });
});

describe("the login page's SSO messages", () => {
  it("says clearly why a person without an account was refused; anything else is generic", () => {
    expect(ssoMessage("no_account", undefined)).toMatch(/do not have a help desk account yet/);
    expect(ssoMessage("made-up", undefined)).toBe(ssoMessage("invalid_token", undefined));
    expect(ssoMessage(undefined, "Configuration")).toMatch(/did not complete/);
    expect(ssoMessage(undefined, undefined)).toBeNull();
  });
});

describe("the audited reason of a rejected callback", () => {
  it("names the check that failed, from oauth4webapi's messages", () => {
    const reason = (m: string) => failureReason(["Read more at https://errors.authjs.dev", m]);
    expect(reason('unexpected JWT "aud" (audience) claim value')).toBe("wrong_audience");
    expect(
      reason(
        'unexpected JWT "exp" (expiration time) claim value, expiration is past current timestamp',
      ),
    ).toBe("token_expired");
    expect(reason('unexpected JWT "iat" (issued at) claim value, it is too far in the past')).toBe(
      "token_time",
    );
    expect(reason('unexpected ID Token "nonce" claim value')).toBe("nonce_mismatch");
    expect(reason('unexpected JWT "iss" (issuer) claim value')).toBe("wrong_issuer");
    expect(reason("JWT signature verification failed")).toBe("bad_signature");
    expect(reason("invalid_grant")).toBe("callback_error");
    expect(failureReason([])).toBe("callback_error");
  });
});
