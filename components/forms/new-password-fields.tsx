import type { UseFormRegisterReturn } from "react-hook-form";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

/** "New password" and its confirmation: the password change and the reset by email. */
export function NewPasswordFields(props: {
  newPassword: UseFormRegisterReturn;
  confirmPassword: UseFormRegisterReturn;
  errors: { newPassword?: string; confirmPassword?: string };
}) {
  return (
    <>
      <Field
        label="New password"
        hint="At least 12 characters; 15 or more is better. A passphrase of a few words works well."
        error={props.errors.newPassword}
        required
      >
        <Input type="password" autoComplete="new-password" {...props.newPassword} />
      </Field>
      <Field label="Confirm new password" error={props.errors.confirmPassword} required>
        <Input type="password" autoComplete="new-password" {...props.confirmPassword} />
      </Field>
    </>
  );
}
