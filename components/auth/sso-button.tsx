import { Button } from "@/components/ui/button";
import { ssoSignInAction } from "@/lib/auth/actions";

/** The login page's single sign-on button (shown only when SSO is configured). */
export function SsoButton({ label, callbackUrl }: { label: string; callbackUrl: string }) {
  return (
    <form action={ssoSignInAction} aria-label="Single sign-on">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Button type="submit" variant="secondary" fullWidth>
        {label}
      </Button>
    </form>
  );
}
