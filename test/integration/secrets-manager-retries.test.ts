import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSecretWriter } from '../../functions/commons/secrets/secret-writer.ts';
import {
  AWS_REQUEST_TIMEOUTS,
  createSecretsManagerClient,
} from '../../functions/commons/secrets/secrets-manager-client.ts';

/** A loopback endpoint that answers every Secrets Manager request with one error, counting the requests. */
async function failingEndpoint(
  status: number,
  errorType: string,
): Promise<{ url: string; requests: () => number; server: Server }> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    request.resume();
    request.on('end', () => {
      response.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': 'test',
      });
      response.end(JSON.stringify({ __type: errorType, message: 'answered by the test endpoint' }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests: () => requests, server };
}

const write = {
  secretId: 'test/retries',
  clientRequestToken: 'a'.repeat(36),
  value: { kind: 'string', text: 'value-for-retry-test' },
} as const;

describe('AWS request timeouts', () => {
  it('give up on an endpoint that never answers, three attempts within the function timeout', async () => {
    // Prepare: a server that accepts connections and never answers; the request timeout shortened for speed
    const silent = createNetServer(() => {}).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as AddressInfo;
    const requestTimeout = 300;
    const writer = createSecretWriter(
      createSecretsManagerClient({
        endpoint: `http://127.0.0.1:${port}`,
        requestHandler: { ...AWS_REQUEST_TIMEOUTS, requestTimeout },
      }),
    );

    // Act
    const started = Date.now();
    const attempt = await writer.write(write).catch((error: unknown) => error);
    const elapsed = Date.now() - started;
    silent.close();

    // Assess
    expect(attempt).toMatchObject({
      name: 'SecretUpdateRetryableError',
      message: expect.stringContaining('TimeoutError'),
    });
    expect(elapsed).toBeGreaterThanOrEqual(3 * requestTimeout);
    expect(3 * (AWS_REQUEST_TIMEOUTS.requestTimeout + AWS_REQUEST_TIMEOUTS.connectionTimeout)).toBeLessThan(
      30_000,
    );
  });
});

describe('Secrets Manager client retries', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
  });

  it('does not retry LimitExceededException (the version quota), which the SDK would treat as throttling', async () => {
    // Prepare
    const endpoint = await failingEndpoint(400, 'LimitExceededException');
    server = endpoint.server;
    const writer = createSecretWriter(createSecretsManagerClient({ endpoint: endpoint.url }));

    // Act
    const attempt = await writer.write(write).catch((error: unknown) => error);

    // Assess
    expect(attempt).toMatchObject({ name: 'SecretUpdateRejectedError', retryable: false });
    expect(endpoint.requests()).toBe(1);
  });

  it('retries throttling up to three attempts, then reports it as retryable', async () => {
    // Prepare
    const endpoint = await failingEndpoint(400, 'ThrottlingException');
    server = endpoint.server;
    const writer = createSecretWriter(createSecretsManagerClient({ endpoint: endpoint.url }));

    // Act
    const attempt = await writer.write(write).catch((error: unknown) => error);

    // Assess
    expect(attempt).toMatchObject({ name: 'SecretUpdateRetryableError', retryable: true, unexpected: false });
    expect(endpoint.requests()).toBe(3);
  });

  it('reports a 500 InternalServiceError as retryable after the same three attempts', async () => {
    // Prepare
    const endpoint = await failingEndpoint(500, 'InternalServiceError');
    server = endpoint.server;
    const writer = createSecretWriter(createSecretsManagerClient({ endpoint: endpoint.url }));

    // Act
    const attempt = await writer.write(write).catch((error: unknown) => error);

    // Assess
    expect(attempt).toMatchObject({ name: 'SecretUpdateRetryableError', retryable: true });
    expect(endpoint.requests()).toBe(3);
  });
});
