import { Input, type InputProps } from "@/components/ui/input";

/** A one-time code input: numeric keyboard, the browser's "one-time-code" autofill. */
export function OneTimeCodeInput(props: InputProps) {
  return (
    <Input
      inputMode="numeric"
      autoComplete="one-time-code"
      autoCapitalize="none"
      spellCheck={false}
      maxLength={20}
      {...props}
    />
  );
}
