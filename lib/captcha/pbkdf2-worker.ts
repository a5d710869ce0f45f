// Web Worker entry for the CAPTCHA widget: ALTCHA's prebuilt PBKDF2 solver. Bundled by Next as a
// same-origin script under /_next/static, so the CSP needs `worker-src 'self'` and no blob: URLs.
import "altcha/workers/pbkdf2";
