/** The request each schema alternative parses at module scope (so that its parser is compiled and run). */
export const SAMPLE_REQUEST = {
  secretId: 'prod/db',
  secretString: '{"password":"bench"}',
  description: 'rotated',
  idempotencyKey: 'bench-1',
};
