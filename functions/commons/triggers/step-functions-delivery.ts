import type { DeliveryEnvelope } from '../pipeline/delivery.ts';
import { readCorrelationId } from './envelope-fields.ts';

/**
 * Step Functions input is the request itself, flat. It must carry its idempotencyKey (built by the state
 * machine from the execution id and state name), which is also the correlationId.
 */
export function stepFunctionsEnvelope(input: unknown): DeliveryEnvelope {
  return {
    trigger: 'step-functions',
    correlationId: readCorrelationId(input, 'idempotencyKey'),
    open: () => ({ request: input }),
  };
}
