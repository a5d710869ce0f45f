// The audit trail's public surface. Script-safe (no "server-only"): see record.ts.
export {
  AUDIT_LOCK_KEY,
  recordAudit,
  recordAuditBatch,
  recordAuditStandalone,
  verifyAuditChain,
  type AuditActor,
  type AuditChainResult,
  type AuditContext,
  type AuditInput,
  type RecordedAudit,
} from "@/lib/audit/record";
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
