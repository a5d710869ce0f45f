// Who must use MFA. Pure: safe in the browser, the edge and scripts.
import { isStaff, type Role } from "@/lib/auth/permissions";

export type StaffMfaPolicy = "required" | "optional";

/** Admins and technicians must enroll unless the demo relaxed it (TESSERA_STAFF_MFA=optional). */
export function mfaRequiredFor(role: Role, policy: StaffMfaPolicy): boolean {
  return policy === "required" && isStaff(role);
}
