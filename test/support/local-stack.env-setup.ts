import { inject } from 'vitest';
import { localEnvironment } from '../../infra/local/local-settings.ts';

// Before any test module imports a handler: the handlers read their configuration at module scope.
Object.assign(process.env, localEnvironment(inject('awsEndpointUrl')), {
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO',
});
