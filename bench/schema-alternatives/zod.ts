// The request schema's shape in zod 4 (classic API), bundled alone (see valibot.ts).
import { z } from 'zod';
import { SAMPLE_REQUEST } from './sample-request.ts';

const text = (maxLength: number) => z.string().max(maxLength).optional();
const schema = z.strictObject({
  secretId: z.string().regex(/^[A-Za-z0-9/_+=.@!:-]{1,2048}$/),
  secretString: z
    .string()
    .min(1)
    .refine((value) => value.isWellFormed())
    .optional(),
  secretBinary: z
    .string()
    .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/)
    .optional(),
  description: text(2048),
  kmsKeyId: text(2048),
  clientRequestToken: z
    .string()
    .regex(/^[A-Za-z0-9-]{32,64}$/)
    .optional(),
  idempotencyKey: text(256),
});

export const parsed = schema.safeParse(SAMPLE_REQUEST).success;
