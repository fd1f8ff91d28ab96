// The request schema's shape in valibot (the library the functions use), bundled alone: one of three
// equivalent schemas whose bundle size and cold start the benchmark compares. Parsed once at module scope.
import * as v from 'valibot';
import { SAMPLE_REQUEST } from './sample-request.ts';

const text = (maxLength: number) => v.optional(v.pipe(v.string(), v.maxLength(maxLength)));
const schema = v.strictObject({
  secretId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9/_+=.@!:-]{1,2048}$/)),
  secretString: v.optional(
    v.pipe(
      v.string(),
      v.minLength(1),
      v.check((value) => value.isWellFormed()),
    ),
  ),
  secretBinary: v.optional(
    v.pipe(v.string(), v.regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/)),
  ),
  description: text(2048),
  kmsKeyId: text(2048),
  clientRequestToken: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{32,64}$/))),
  idempotencyKey: text(256),
});

export const parsed = v.safeParse(schema, SAMPLE_REQUEST).success;
