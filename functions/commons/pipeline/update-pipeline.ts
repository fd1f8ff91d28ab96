import type { Context } from 'aws-lambda';
import {
  SecretUpdateConflictError,
  SecretUpdateError,
  SecretUpdateRetryableError,
  SecretUpdateValidationError,
} from '../errors.ts';
import type { IdempotentWriter } from '../idempotency/idempotent-write.ts';
import { logger } from '../logging/logger.ts';
import { runWithSecretsMasked } from '../logging/secret-scope.ts';
import { assertUpdateAllowed, type UpdateAllowlists } from '../policy/allowlist.ts';
import { assertRequestIsFresh } from '../policy/request-age.ts';
import { deriveClientRequestToken, type UpdateIdentity } from '../request/identity.ts';
import {
  isSecretId,
  isValidIdempotencyKey,
  parseSecretUpdateRequest,
  type SecretUpdateRequest,
} from '../request/request-schema.ts';
import { type SecretValue, valueKindOf } from '../secrets/secret-value.ts';
import type { SecretWrite, SecretWriter } from '../secrets/secret-writer.ts';
import { assertTimeToStart, deliveryDeadline, runWithDeadline } from './deadline.ts';
import type { Delivery, DeliveryEnvelope } from './delivery.ts';
import { planSecretWrite } from './plan-secret-write.ts';
import { resolveSecretValue, secretsIn } from './resolve-secret-value.ts';
import type { SecretUpdateResult } from './secret-update-result.ts';
import { logUpdateApplied, logUpdateFailed, type UpdateLogFacts } from './update-log.ts';

export interface UpdatePipelineDependencies {
  readonly secretWriter: SecretWriter;
  readonly idempotentWriter: IdempotentWriter;
  readonly allowlists: UpdateAllowlists;
  readonly maxRequestAgeSeconds: number;
  readonly now: () => Date;
}

/** The one update pipeline every trigger hands its deliveries to. */
export interface UpdatePipeline {
  /**
   * Applies one delivered request and logs one line about it. Resolves with the result, or rejects with a
   * SecretUpdateError (anything else is wrapped as an unexpected SecretUpdateRetryableError).
   */
  readonly apply: (envelope: DeliveryEnvelope, lambdaContext?: Context) => Promise<SecretUpdateResult>;
  /**
   * Logs a delivery that a handler fails without opening it (a FIFO record behind a failed one, an event
   * of the wrong shape) and returns the error to fail it with.
   */
  readonly reject: (
    envelope: Pick<DeliveryEnvelope, 'trigger' | 'correlationId'>,
    error: SecretUpdateError,
    lambdaContext?: Context,
  ) => SecretUpdateError;
}

export function createUpdatePipeline(dependencies: UpdatePipelineDependencies): UpdatePipeline {
  const { secretWriter, idempotentWriter, allowlists, maxRequestAgeSeconds, now } = dependencies;

  /** Validates, checks age and allowlists, then resolves, plans and writes: the steps in order. */
  async function applyDelivery(
    delivery: Delivery,
    facts: UpdateLogFacts,
    lambdaContext: Context | undefined,
  ): Promise<SecretUpdateResult> {
    const secretId = secretIdIn(delivery.request);
    if (secretId !== undefined) facts.secretId = secretId; // logged even when another field is invalid
    const request = parseSecretUpdateRequest(delivery.request);
    const identity = identify(request, delivery);
    facts.idempotencyKey = identity.idempotencyKey;
    const clientRequestToken = request.clientRequestToken ?? deriveClientRequestToken(identity);

    assertRequestIsFresh(delivery.sentAt, now(), maxRequestAgeSeconds);
    assertUpdateAllowed(request, allowlists);

    const value = await resolveSecretValue(request);
    // Logged like the result shows it: a metadata-only update creates no version, so it has no token.
    if (value !== undefined) facts.clientRequestToken = clientRequestToken;
    const write = planSecretWrite(request, identity, clientRequestToken, value);
    return writeIdempotently(write, identity, request.clientRequestToken === undefined, lambdaContext);
  }

  /**
   * Re-sends the value of a replayed update to the very secret it was applied to (its full ARN, from the
   * record): Secrets Manager compares the values. A secret deleted and created again under the same name has
   * another ARN, so nothing is written to it and an old value cannot come back.
   */
  async function confirmReplayedValue(
    write: SecretWrite & { readonly value: SecretValue },
    secretArn: string,
    abortSignal: AbortSignal | undefined,
  ) {
    await secretWriter
      .confirmValue({ ...write, secretId: secretArn }, { abortSignal })
      .catch((failure: unknown) => {
        throw explainConflict(failure, KEY_REUSED);
      });
  }

  async function writeIdempotently(
    write: SecretWrite,
    identity: UpdateIdentity,
    tokenDerived: boolean,
    lambdaContext: Context | undefined,
  ): Promise<SecretUpdateResult> {
    assertTimeToStart(lambdaContext);
    const deadline = deliveryDeadline(lambdaContext);
    const abortSignal = deadline?.signal;
    const workItem = {
      identity,
      fingerprint: {
        clientRequestToken: write.clientRequestToken,
        valueKind: valueKindOf(write.value),
        ...(write.description === undefined ? {} : { description: write.description }),
        ...(write.kmsKeyId === undefined ? {} : { kmsKeyId: write.kmsKeyId }),
      },
    };
    // The idempotency store's DynamoDB calls are bound to the same deadline as the Secrets Manager calls.
    const { outcome, replayed } = await runWithDeadline(deadline, () =>
      idempotentWriter.run(
        workItem,
        // A derived token taken by another value means the idempotencyKey was reused (an earlier attempt's
        // write landed although its invocation failed): say so, the caller never chose a token.
        () =>
          secretWriter.write(write, { abortSignal }).catch((failure: unknown) => {
            throw tokenDerived ? explainConflict(failure, KEY_REUSED) : failure;
          }),
        lambdaContext,
      ),
    );
    const { value } = write;
    // A duplicate with the same key but another value must not pass as a replay: Secrets Manager compares.
    if (replayed && value !== undefined)
      await confirmReplayedValue({ ...write, value }, outcome.secretArn, abortSignal);
    return {
      outcome: replayed ? 'replayed' : value === undefined ? 'metadata-updated' : 'updated',
      secretArn: outcome.secretArn,
      secretName: outcome.secretName,
      ...(outcome.versionId === undefined
        ? {}
        : { versionId: outcome.versionId, clientRequestToken: write.clientRequestToken }),
      idempotencyKey: identity.idempotencyKey,
    };
  }

  return {
    apply: async (envelope, lambdaContext) => {
      const facts: UpdateLogFacts = { trigger: envelope.trigger, correlationId: envelope.correlationId };
      addInvocationToLogs(lambdaContext);
      let delivery: Delivery;
      try {
        delivery = envelope.open();
      } catch (failure) {
        throw reportFailure(facts, failure);
      }
      return runWithSecretsMasked(secretsIn(delivery.request), async () => {
        try {
          const result = await applyDelivery(delivery, facts, lambdaContext);
          logUpdateApplied(facts, result);
          return result;
        } catch (failure) {
          throw reportFailure(facts, failure);
        }
      });
    },
    reject: (envelope, error, lambdaContext) => {
      addInvocationToLogs(lambdaContext);
      return reportFailure({ trigger: envelope.trigger, correlationId: envelope.correlationId }, error);
    },
  };
}

/** The Lambda request id and cold-start flag on every line tie it to the invocation's REPORT line. */
function addInvocationToLogs(lambdaContext: Context | undefined): void {
  if (lambdaContext !== undefined) logger.addContext(lambdaContext);
}

const KEY_REUSED = 'the idempotencyKey was already used for an update of this secret with a different value';

/** A conflict told in terms of what the caller chose; any other failure as it is. */
function explainConflict(failure: unknown, message: string): unknown {
  return failure instanceof SecretUpdateConflictError
    ? new SecretUpdateConflictError(message, { cause: failure.cause })
    : failure;
}

/** Logs a failure once and returns it as the SecretUpdateError the trigger sees. */
function reportFailure(facts: UpdateLogFacts, failure: unknown): SecretUpdateError {
  const error =
    failure instanceof SecretUpdateError
      ? failure
      : // Never pass an unknown failure's message on: it may quote input. It is logged, masked, as the cause.
        new SecretUpdateRetryableError('the update failed unexpectedly', {
          cause: failure,
          unexpected: true,
        });
  logUpdateFailed(facts, error);
  return error;
}

function identify(request: SecretUpdateRequest, delivery: Delivery): UpdateIdentity {
  if (request.idempotencyKey !== undefined)
    return { secretId: request.secretId, idempotencyKey: request.idempotencyKey };
  const idempotencyKey = delivery.defaultIdempotencyKey;
  if (idempotencyKey === undefined) {
    throw new SecretUpdateValidationError(
      'idempotencyKey is required: this trigger has no delivery id to default to',
    );
  }
  // The trigger's id becomes the key: it must follow the same rules as one given in the request.
  if (!isValidIdempotencyKey(idempotencyKey)) {
    throw new SecretUpdateValidationError(
      "the trigger's id is not a usable idempotencyKey (1-256 printable characters): give idempotencyKey in the request",
    );
  }
  return { secretId: request.secretId, idempotencyKey };
}

/** The request's secretId when it is a well-formed one (anything else may be caller data, and is not logged). */
function secretIdIn(request: unknown): string | undefined {
  const secretId =
    typeof request === 'object' && request !== null
      ? (request as { secretId?: unknown }).secretId
      : undefined;
  return typeof secretId === 'string' && isSecretId(secretId) ? secretId : undefined;
}
