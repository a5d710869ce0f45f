// No imports: the Playwright config loads this file.

/** The e2e app's AUTH_SECRET (e2e-only): tests compute keyed hashes the app stores with it. */
export const E2E_AUTH_SECRET = "tessera-e2e-secret-not-for-production-use-0123456789";
/** The e2e app's MFA_ENCRYPTION_KEY (32 bytes, base64; e2e-only). */
export const E2E_MFA_ENCRYPTION_KEY = "dGVzc2VyYS1lMmUtbWZhLWtleS1ub3QtZm9yLXVzZSE=";
/** The e2e app's TESSERA_METRICS_TOKEN (e2e-only): tests/e2e/metrics.spec.ts scrapes with it. */
export const E2E_METRICS_TOKEN = "tessera-e2e-metrics-token-not-for-production-0123";
