import { SecretUpdateForbiddenError } from '../errors.ts';

/**
 * A compiled list of glob patterns; `*` matches any run of characters (including `/` and `:`), like IAM. A
 * pattern without a `:` is a name pattern and matches only candidates without one: secret names, KMS key ids
 * and aliases never hold a `:`, ARNs always do. So a name prefix such as `a*` cannot let every ARN through.
 */
export interface Allowlist {
  readonly allows: (candidate: string) => boolean;
}

/** Compiles patterns once at init; undefined (no list configured) means everything is allowed. */
export function compileAllowlist(patterns: readonly string[] | undefined): Allowlist {
  if (patterns === undefined) return { allows: () => true };
  const namePatterns = patterns.filter((pattern) => !pattern.includes(':')).map(globToRegExp);
  const arnPatterns = patterns.filter((pattern) => pattern.includes(':')).map(globToRegExp);
  return {
    allows: (candidate) =>
      (candidate.includes(':') ? arnPatterns : namePatterns).some((expression) => expression.test(candidate)),
  };
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`, 's');
}

/** The alias of the AWS managed key that `kmsKeyId: ""` selects; list it to allow switching back to it. */
export const AWS_MANAGED_KEY_ALIAS = 'alias/aws/secretsmanager';

export interface UpdateTargets {
  readonly secretId: string;
  readonly kmsKeyId?: string | undefined;
}

export interface UpdateAllowlists {
  readonly secretIds: Allowlist;
  readonly kmsKeyIds: Allowlist;
}

/** Refuses a secret or KMS key outside the allowlists, before any AWS call. */
export function assertUpdateAllowed(targets: UpdateTargets, allowlists: UpdateAllowlists): void {
  if (!allowlists.secretIds.allows(targets.secretId)) {
    throw new SecretUpdateForbiddenError('secretId is not in ALLOWED_SECRET_IDS');
  }
  if (targets.kmsKeyId === undefined) return;
  const keyToCheck = targets.kmsKeyId === '' ? AWS_MANAGED_KEY_ALIAS : targets.kmsKeyId;
  if (!allowlists.kmsKeyIds.allows(keyToCheck)) {
    throw new SecretUpdateForbiddenError('kmsKeyId is not in ALLOWED_KMS_KEY_IDS');
  }
}
