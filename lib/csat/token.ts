// The one-click link of the resolved mail (issue 15 §4): its token is an HMAC of the survey's id
// under a key derived from AUTH_SECRET, so the background job that renders the mail later can make
// it again from the id alone; the database keeps only its sha256 (a leaked table opens nothing).
// Single use and expiry are the survey's answeredAt and expiresAt. No "server-only": pure
// node:crypto, so tests compute the same links.
import { createHash, createHmac } from "node:crypto";
import { authSecretKey } from "@/lib/auth/server-keys";
import type { CsatRating } from "@/lib/csat/schemas";

/** The link token of a survey (43 base64url characters). */
export function csatToken(surveyId: string, secret?: string): string {
  return createHmac("sha256", authSecretKey("csat-link", secret))
    .update(`csat:${surveyId}`, "utf8")
    .digest("base64url");
}

/** What the survey row stores of its token. */
export const csatTokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

/** The link for a rating: opening it records nothing (mail scanners prefetch links). */
export function csatLink(publicUrl: string, surveyId: string, rating?: CsatRating): string {
  const base = `${publicUrl.replace(/\/$/, "")}/csat/${csatToken(surveyId)}`;
  return rating ? `${base}?rating=${rating.toLowerCase()}` : base;
}
