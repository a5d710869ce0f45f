import { describe, expect, it } from "vitest";
import {
  PERMISSION_NAMES,
  ROLES,
  assertCan,
  assertCanOn,
  can,
  canOn,
  canOnAny,
  scopeOf,
} from "@/lib/auth/permissions";
import { mfaRequiredFor } from "@/lib/auth/mfa/policy";
import { ForbiddenError } from "@/lib/errors";

// The helpers answer from the table and nothing else: every cell, every role.
describe("permission helpers", () => {
  const me = "user-me";
  const other = "user-other";

  it("decide every (role, permission) cell from its scope", () => {
    for (const role of ROLES) {
      for (const permission of PERMISSION_NAMES) {
        const scope = scopeOf(role, permission);
        const user = { id: me, role };
        const where = `${role} ${permission} (${scope})`;
        expect(can(user, permission), where).toBe(scope !== "none");
        expect(canOnAny(user, permission), where).toBe(scope === "all");
        expect(canOn(user, permission, me), where).toBe(scope !== "none");
        expect(canOn(user, permission, other), where).toBe(scope === "all");
      }
    }
  });

  it("refuse with a ForbiddenError exactly where the deciding helper says no", () => {
    for (const role of ROLES) {
      for (const permission of PERMISSION_NAMES) {
        const user = { id: me, role };
        const attempt = (fn: () => void) => {
          try {
            fn();
            return "allowed";
          } catch (error) {
            expect(error).toBeInstanceOf(ForbiddenError);
            return "refused";
          }
        };
        const verdict = (allowed: boolean) => (allowed ? "allowed" : "refused");
        expect(attempt(() => assertCan(user, permission))).toBe(verdict(can(user, permission)));
        expect(attempt(() => assertCanOn(user, permission, other))).toBe(
          verdict(canOn(user, permission, other)),
        );
      }
    }
    expect(() => assertCan({ role: "USER" }, "user:manage", "Admins only.")).toThrow(
      "Admins only.",
    );
  });

  it("has ticket:edit (own for requesters) and settings:manage (admins only, issue 13)", () => {
    expect(PERMISSION_NAMES).toContain("ticket:edit");
    expect(scopeOf("USER", "ticket:edit")).toBe("own");
    // Added with its action (lib/settings/actions.ts), not before: no permission without one.
    expect(ROLES.map((role) => scopeOf(role, "settings:manage"))).toEqual(["all", "none", "none"]);
    // Service levels (issue 15): calendars and SLA policies, admins only.
    expect(ROLES.map((role) => scopeOf(role, "sla:manage"))).toEqual(["all", "none", "none"]);
  });
});

describe("MFA policy", () => {
  it("requires MFA of every role that may act on other people's objects, when required", () => {
    for (const role of ROLES) {
      const reachesOthers = PERMISSION_NAMES.some((p) => scopeOf(role, p) === "all");
      expect(mfaRequiredFor(role, "required"), role).toBe(reachesOthers);
      expect(mfaRequiredFor(role, "optional"), role).toBe(false);
    }
    expect(mfaRequiredFor("TECHNICIAN", "required")).toBe(true);
    expect(mfaRequiredFor("ADMIN", "required")).toBe(true);
    expect(mfaRequiredFor("USER", "required")).toBe(false);
  });
});

describe("unknown roles and permissions", () => {
  it("get scope none, never a default allow", () => {
    const forged = { id: "x", role: "SUPERUSER" as never };
    expect(scopeOf(forged.role, "user:manage")).toBe("none");
    expect(can(forged, "ticket:read")).toBe(false);
    expect(canOn(forged, "ticket:read", "x")).toBe(false);
    expect(scopeOf("ADMIN", "no:such" as never)).toBe("none");
  });
});
