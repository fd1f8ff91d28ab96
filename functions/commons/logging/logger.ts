import { Logger } from '@aws-lambda-powertools/logger';
import { maskLogValue } from './masking.ts';
import { currentSecretForms } from './secret-scope.ts';

/**
 * The one logger of the functions: Powertools JSON lines, every value passed through the masking replacer.
 * Never handed to the AWS SDK, and never given a raw event.
 */
export const logger = new Logger({
  serviceName: 'secret-updater',
  jsonReplacerFn: (key: string, value: unknown) => maskLogValue(key, value, currentSecretForms()),
});
