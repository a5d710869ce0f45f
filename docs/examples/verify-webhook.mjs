// Verifies a Tessera webhook (docs/webhooks.md). `rawBody` is the request body exactly as
// received (string or Buffer), `signatureHeader` the Tessera-Signature header. Returns the parsed
// event, or throws when the header is malformed, the timestamp is outside the 5-minute window
// (a replayed request), or the signature differs.
import { createHmac, timingSafeEqual } from "node:crypto";

export const TOLERANCE_SECONDS = 5 * 60;

export function verifyTesseraWebhook(secret, rawBody, signatureHeader, now = Date.now()) {
  const fields = new Map(
    String(signatureHeader ?? "")
      .split(",")
      .map((part) => {
        const at = part.indexOf("=");
        return [part.slice(0, at).trim(), part.slice(at + 1).trim()];
      }),
  );
  const t = fields.get("t") ?? "";
  const v1 = fields.get("v1") ?? "";
  if (!/^\d{1,12}$/.test(t) || !/^[0-9a-f]{64}$/.test(v1)) {
    throw new Error("Malformed Tessera-Signature header");
  }
  if (Math.abs(now / 1000 - Number(t)) > TOLERANCE_SECONDS) {
    throw new Error("Timestamp outside the 5-minute window");
  }
  const body = Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, "utf8");
  const expected = createHmac("sha256", secret).update(`${t}.`).update(body).digest();
  if (!timingSafeEqual(expected, Buffer.from(v1, "hex"))) {
    throw new Error("Signature does not match");
  }
  return JSON.parse(body.toString("utf8"));
}
