// `npx tsx scripts/attachment-services.ts`: starts the servers `npm test` uses
// (s3rver, clamd when ClamAV is installed, an SMTP server, dovecot when dovecot-imapd is
// installed) for local development, prints the variables to export in another terminal, and
// stops them on Ctrl-C. Data lives in a temp folder removed at the end.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3RVER_KEY, startTestServices } from "./lib/test-services";

const tmp = mkdtempSync(join(tmpdir(), "tessera-attachments-"));
const services = await startTestServices(tmp);
const { TESSERA_TEST_S3_ENDPOINT, TESSERA_TEST_S3_BUCKET, TESSERA_TEST_CLAMAV_URL } = services.env;
const lines = [
  "# the attachment and email tests (npx vitest run tests/integration/attachment-storage.test.ts ...):",
  ...Object.entries(services.env).map(([k, v]) => `export ${k}=${v}`),
  "# the app (npm run dev) with these servers:",
  "export TESSERA_STORAGE=s3",
  `export TESSERA_S3_ENDPOINT=${TESSERA_TEST_S3_ENDPOINT}`,
  `export TESSERA_S3_BUCKET=${TESSERA_TEST_S3_BUCKET}`,
  `export TESSERA_S3_ACCESS_KEY_ID=${S3RVER_KEY}`,
  `export TESSERA_S3_SECRET_ACCESS_KEY=${S3RVER_KEY}`,
  ...(TESSERA_TEST_CLAMAV_URL ? [`export TESSERA_CLAMAV_URL=${TESSERA_TEST_CLAMAV_URL}`] : []),
  `export SMTP_URL=${services.env.TESSERA_TEST_SMTP_URL}`,
  "# single sign-on against the test provider (any login name and password on its form):",
  `export TESSERA_SSO_ISSUER=${services.env.TESSERA_TEST_OIDC_ISSUER}`,
  `export TESSERA_SSO_CLIENT_ID=${services.env.TESSERA_TEST_OIDC_CLIENT_ID}`,
  `export TESSERA_SSO_CLIENT_SECRET=${services.env.TESSERA_TEST_OIDC_CLIENT_SECRET}`,
  ...(services.env.TESSERA_TEST_IMAP_HOST
    ? [
        "# an IMAP mailbox to poll (dovecot, no TLS):",
        `#   host ${services.env.TESSERA_TEST_IMAP_HOST} port ${services.env.TESSERA_TEST_IMAP_PORT}` +
          ` user ${services.env.TESSERA_TEST_IMAP_USER}` +
          ` password ${services.env.TESSERA_TEST_IMAP_PASSWORD}`,
      ]
    : []),
];
console.log(`\n${lines.join("\n")}\n\nRunning; Ctrl-C stops the servers.`);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await services.stop();
  rmSync(tmp, { recursive: true, force: true });
  process.exit(0);
}
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
