// The reason a rejected single sign-on callback is audited with (lib/auth/sso/failures.ts),
// from the messages of the error Auth.js logged (oauth4webapi's, e.g. 'unexpected JWT "aud"
// (audience) claim value'). Pure: tests/unit/sso-claims.test.ts.

/** The audited reason for what Auth.js logged. */
export function failureReason(messages: readonly string[]): string {
  const text = messages.join(" | ");
  if (/"aud"|audience/i.test(text)) return "wrong_audience";
  if (/"exp"|expired/i.test(text)) return "token_expired";
  if (/"iat"|"nbf"/i.test(text)) return "token_time";
  if (/nonce/i.test(text)) return "nonce_mismatch";
  if (/"iss"|issuer/i.test(text)) return "wrong_issuer";
  if (/signature/i.test(text)) return "bad_signature";
  if (/state/i.test(text)) return "state_mismatch";
  if (/pkce|code_verifier/i.test(text)) return "pkce_failed";
  if (/access_denied/i.test(text)) return "access_denied";
  return "callback_error";
}
