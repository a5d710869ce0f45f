// What the login page says after a refused single sign-on (?sso=<reason> from the signIn
// callback, ?error=<type> from Auth.js). Pure: shared by the page and the tests.

const REFUSALS: Record<string, string> = {
  no_account:
    "You signed in with your organisation, but you do not have a help desk account yet. " +
    "Ask a help desk administrator to create one for you.",
  no_email:
    "Your organisation's sign-in did not share an email address, so no help desk account " +
    "can be matched. Ask your administrator.",
  email_unverified:
    "Your organisation's sign-in did not confirm your email address, so it cannot be " +
    "matched to a help desk account. Ask your administrator.",
  deactivated: "This help desk account is deactivated. Ask a help desk administrator.",
  service_account: "This is an integration account: it cannot sign in.",
  invalid_token: "Single sign-on failed. Please try again.",
};

/** The message for the login page's query, or null when it carries none. */
export function ssoMessage(sso: string | undefined, error: string | undefined): string | null {
  if (sso) return REFUSALS[sso] ?? REFUSALS.invalid_token!;
  if (error) {
    return "Single sign-on did not complete (the identity provider's answer was refused). Please try again, or ask your administrator.";
  }
  return null;
}
