import { createHash } from 'node:crypto';

/**
 * The identity of a logical update: the secret exactly as the caller named it and the idempotency key.
 * Deliveries with the same identity are the same update; they share one idempotency record and one
 * ClientRequestToken. Public and permanent: changing any of this turns in-flight redeliveries into new
 * secret versions (the README documents it and test vectors pin it).
 */
export interface UpdateIdentity {
  readonly secretId: string;
  readonly idempotencyKey: string;
}

/** Namespace of the name-based (version 5) UUIDs that serve as ClientRequestTokens. Never change it. */
export const CLIENT_REQUEST_TOKEN_NAMESPACE = '9851888c-3ed7-4b24-b836-545b12d7026d';

/**
 * The ClientRequestToken of an identity: UUID v5 (RFC 9562) of the JSON array `[secretId, idempotencyKey]`
 * under CLIENT_REQUEST_TOKEN_NAMESPACE. JSON keeps the two parts apart whatever they contain (ARNs hold
 * `:`). The secret value is not an input, so the token reveals nothing about it.
 */
export function deriveClientRequestToken(identity: UpdateIdentity): string {
  const name = JSON.stringify([identity.secretId, identity.idempotencyKey]);
  return uuidV5(name, CLIENT_REQUEST_TOKEN_NAMESPACE);
}

/** Name-based UUID, version 5 (SHA-1), as RFC 9562 defines it. */
export function uuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
