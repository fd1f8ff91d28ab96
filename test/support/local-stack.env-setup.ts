import { inject } from 'vitest';
import { localEnvironment } from '../../infra/local/local-settings.ts';

// Before any test module imports a handler: the handlers read their configuration at module scope.
Object.assign(process.env, localEnvironment(inject('awsEndpointUrl')), {
  // Quiet unless asked (POWERTOOLS_LOG_LEVEL=INFO npm test); tests about logs raise the level themselves.
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
});
