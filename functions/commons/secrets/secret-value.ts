/** A secret value as the pipeline carries it between resolving it and writing it. */
export type SecretValue =
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'binary'; readonly bytes: Uint8Array };

/** What a write does to the value: put a new one, or leave it as it is (a metadata-only update). */
export type ValueKind = SecretValue['kind'] | 'none';

export const valueKindOf = (value: SecretValue | undefined): ValueKind => value?.kind ?? 'none';
