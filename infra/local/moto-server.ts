import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** The one line printed when moto is missing: nothing is skipped silently. */
export const MOTO_INSTALL_HINT = 'moto_server not found: install it with pip install "moto[server]"';

export interface LocalAwsEndpoint {
  /** The endpoint to export as AWS_ENDPOINT_URL. */
  readonly endpoint: string;
  /** Stops the server if this process started it; a no-op for an endpoint given by AWS_ENDPOINT_URL. */
  readonly stop: () => Promise<void>;
}

/** Throws with the install command when moto_server is not on PATH. */
export function assertMotoInstalled(): void {
  const probe = spawnSync('moto_server', ['--help'], { stdio: 'ignore' });
  if (probe.error !== undefined || probe.status !== 0) throw new Error(MOTO_INSTALL_HINT);
}

/** Starts moto_server on a free loopback port and waits until it answers. */
export async function startMotoServer(): Promise<LocalAwsEndpoint> {
  assertMotoInstalled();
  for (let attempt = 1; ; attempt++) {
    const port = await findFreeLoopbackPort();
    const server = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: false,
    });
    let stderr = '';
    server.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const endpoint = `http://127.0.0.1:${port}`;
    try {
      await waitUntilReady(endpoint, server);
      return { endpoint, stop: () => stopProcess(server) };
    } catch (failure) {
      await stopProcess(server);
      // Another process may have taken the port between the probe and moto's bind: try another one.
      if (attempt >= 3) throw new Error(`moto_server did not start: ${String(failure)}\n${stderr}`);
    }
  }
}

/** Uses AWS_ENDPOINT_URL when it is set (a long-lived stack), else starts moto for this process. */
export async function connectLocalAws(environment = process.env): Promise<LocalAwsEndpoint> {
  const given = environment.AWS_ENDPOINT_URL;
  if (given !== undefined && given !== '') {
    if (!URL.canParse(given)) throw new Error('AWS_ENDPOINT_URL must be an http:// or https:// URL');
    return { endpoint: given, stop: async () => {} };
  }
  return startMotoServer();
}

function findFreeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitUntilReady(endpoint: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`moto_server exited with code ${server.exitCode}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('moto_server did not answer within 30 seconds');
}

async function stopProcess(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
