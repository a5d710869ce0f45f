// Who must use MFA. Pure: safe in the browser, the edge and scripts.
import { PERMISSION_NAMES, canOnAny, type Role } from "@/lib/auth/permissions";

export type StaffMfaPolicy = "required" | "optional";

/**
 * A role that may act on other people's objects (any permission with scope "all" in the table:
 * today admins and technicians) must enroll, unless the demo relaxed it (TESSERA_STAFF_MFA=optional).
 */
export function mfaRequiredFor(role: Role, policy: StaffMfaPolicy): boolean {
  return policy === "required" && PERMISSION_NAMES.some((p) => canOnAny({ role }, p));
}
