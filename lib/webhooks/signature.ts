// The Tessera-Signature header (docs/webhooks.md): t=<unix seconds>,v1=<hex HMAC-SHA256 of
// "<t>.<raw body>" keyed with the webhook's secret>. Receivers verify it with
// docs/examples/verify-webhook.mjs and refuse timestamps older than 5 minutes (replay window).
import { createHmac } from "node:crypto";

export function signatureHeader(secret: string, timestamp: number, body: string): string {
  const v1 = createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${v1}`;
}
