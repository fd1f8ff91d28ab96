// The request schema's shape in zod/mini, bundled alone (see valibot.ts).
import * as z from 'zod/mini';
import { SAMPLE_REQUEST } from './sample-request.ts';

const text = (maxLength: number) => z.optional(z.string().check(z.maxLength(maxLength)));
const schema = z.strictObject({
  secretId: z.string().check(z.regex(/^[A-Za-z0-9/_+=.@!:-]{1,2048}$/)),
  secretString: z.optional(
    z.string().check(
      z.minLength(1),
      z.refine((value) => value.isWellFormed()),
    ),
  ),
  secretBinary: z.optional(
    z.string().check(z.regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/)),
  ),
  description: text(2048),
  kmsKeyId: text(2048),
  clientRequestToken: z.optional(z.string().check(z.regex(/^[A-Za-z0-9-]{32,64}$/))),
  idempotencyKey: text(256),
});

export const parsed = schema.safeParse(SAMPLE_REQUEST).success;
