// Types for verify-webhook.mjs (the tests import it; the project does not compile JavaScript).
export declare const TOLERANCE_SECONDS: number;
export declare function verifyTesseraWebhook(
  secret: string,
  rawBody: string | Buffer,
  signatureHeader: string | string[] | undefined,
  now?: number,
): { id: string; type: string; createdAt: string; data: Record<string, unknown> };
