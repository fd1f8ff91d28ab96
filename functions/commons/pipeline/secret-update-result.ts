/** `updated`: a new version holds the value; `replayed`: answered from the idempotency record; `metadata-updated`: description or KMS key changed, no version. */
export type SecretUpdateOutcome = 'updated' | 'replayed' | 'metadata-updated';

/** What every trigger gets back (and what Step Functions returns): never the value. */
export interface SecretUpdateResult {
  readonly outcome: SecretUpdateOutcome;
  readonly secretArn: string;
  readonly secretName: string;
  /** The version holding the value; absent for a metadata-only update. */
  readonly versionId?: string;
  /** The token the version was created with; absent for a metadata-only update. */
  readonly clientRequestToken?: string;
  readonly idempotencyKey: string;
}
