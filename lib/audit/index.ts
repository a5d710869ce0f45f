// The audit trail's public surface. Script-safe (no "server-only"): see record.ts.
export {
  recordAudit,
  recordAuditBatch,
  recordAuditStandalone,
  type AuditActor,
  type AuditContext,
  type AuditInput,
  type RecordedAudit,
} from "@/lib/audit/record";
export {
  verifyAuditChain,
  type AuditChainResult,
  type AuditChainFailure,
} from "@/lib/audit/verify";
export {
  AUDIT_SEAL_LOCK_KEY,
  chainHead,
  pendingAuditEvents,
  sealAuditEvents,
  type ChainHead,
} from "@/lib/audit/seal";
export {
  anchorFile,
  databaseIdentity,
  readAnchorFile,
  writeAnchor,
  type Anchor,
} from "@/lib/audit/anchor";
export {
  GENESIS_HASH,
  canonicalJson,
  computeAuditHash,
  type AuditHashFields,
  type JsonValue,
} from "@/lib/audit/hash";
export { REDACTED, isSecretKey, prepareAuditJson } from "@/lib/audit/redact";
export {
  DIFF_EXCERPT,
  boundedDiff,
  fingerprint,
  type TextDiff,
  type TextFingerprint,
} from "@/lib/audit/text-change";
