/** The e2e app's MFA_ENCRYPTION_KEY (32 bytes, base64; e2e-only). No imports: the config loads it. */
export const E2E_MFA_ENCRYPTION_KEY = "dGVzc2VyYS1lMmUtbWZhLWtleS1ub3QtZm9yLXVzZSE=";
