import { once } from 'node:events';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does to a matching request instead of (or on top of) forwarding it. */
export type Fault =
  /** Answers with an AWS error without forwarding: the service never sees the request. */
  | { readonly kind: 'error'; readonly status: number; readonly type: string; readonly message?: string }
  /** Waits, then forwards. */
  | { readonly kind: 'delay'; readonly milliseconds: number }
  /** Forwards, lets the service apply it, then cuts the connection: the caller never learns it worked. */
  | { readonly kind: 'lose-response' }
  /** Cuts the connection without forwarding. */
  | { readonly kind: 'reset' }
  /** Forwards nothing and never answers, until the test releases or kills whoever waits. */
  | { readonly kind: 'hold' };

export const faults = {
  throttling: (): Fault => ({
    kind: 'error',
    status: 400,
    type: 'ThrottlingException',
    message: 'Rate exceeded',
  }),
  internalError: (): Fault => ({
    kind: 'error',
    status: 500,
    type: 'InternalServiceError',
    message: 'injected',
  }),
  limitExceeded: (): Fault => ({
    kind: 'error',
    status: 400,
    type: 'LimitExceededException',
    message: 'injected',
  }),
  dynamoDbFailure: (): Fault => ({
    kind: 'error',
    status: 500,
    type: 'InternalServerError',
    message: 'injected',
  }),
  delay: (milliseconds: number): Fault => ({ kind: 'delay', milliseconds }),
  loseResponse: (): Fault => ({ kind: 'lose-response' }),
  reset: (): Fault => ({ kind: 'reset' }),
  hold: (): Fault => ({ kind: 'hold' }),
} as const;

export interface FaultRule {
  /** `service.Operation`, e.g. `secretsmanager.UpdateSecret`, `dynamodb.UpdateItem`; a RegExp to match many. */
  readonly operation: string | RegExp;
  readonly fault: Fault;
  /** Let this many matching requests through first (so "the second attempt" is `skip: 1`). */
  readonly skip?: number;
  /** Apply to this many matching requests, then stop (default: all). */
  readonly times?: number;
}

interface ActiveRule extends FaultRule {
  skipped: number;
  applied: number;
}

/**
 * An HTTP proxy on loopback between the handlers and the local stack, injecting faults per operation (read
 * from the `X-Amz-Target` header of the AWS JSON protocols) and per attempt. Point AWS_ENDPOINT_URL (or a
 * client's endpoint) at `endpoint`.
 */
export class FaultProxy {
  readonly #upstream: URL;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #held = new Set<ServerResponse>();
  #rules: ActiveRule[] = [];
  #port = 0;
  /** Requests seen, by operation. */
  readonly requests = new Map<string, number>();
  /** Faults injected, by `operation fault-kind`. */
  readonly injected = new Map<string, number>();
  /** Called when a request is held (for a test that kills the process waiting on it). */
  onHold: (operation: string) => void = () => {};

  private constructor(upstream: string) {
    this.#upstream = new URL(upstream);
    this.#server = createServer((request, response) => {
      void this.#handle(request, response);
    });
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  static async start(upstream: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(upstream);
    await proxy.#listen(0);
    return proxy;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** Adds a rule; rules are tried in the order they were added. */
  inject(rule: FaultRule): this {
    this.#rules.push({ ...rule, skipped: 0, applied: 0 });
    return this;
  }

  /** Removes every rule and answers every held request with a reset. */
  clear(): void {
    this.#rules = [];
    for (const response of this.#held) response.socket?.destroy();
    this.#held.clear();
  }

  /**
   * Held requests whose connection is still open. A caller's connections close when its process dies, so
   * this tells a killed process from one that lives on (a wrapper killed, its child still running).
   */
  heldOpen(): number {
    return [...this.#held].filter((response) => response.socket !== null && !response.socket.destroyed)
      .length;
  }

  /** Stops accepting connections (callers get ECONNREFUSED) until `acceptConnections`. */
  async refuseConnections(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      for (const socket of this.#sockets) socket.destroy();
    });
  }

  async acceptConnections(): Promise<void> {
    await this.#listen(this.#port);
  }

  async stop(): Promise<void> {
    this.clear();
    for (const socket of this.#sockets) socket.destroy();
    if (this.#server.listening) await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #listen(port: number): Promise<void> {
    this.#server.listen(port, '127.0.0.1');
    await once(this.#server, 'listening');
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const operation = operationOf(request);
    this.requests.set(operation, (this.requests.get(operation) ?? 0) + 1);
    const fault = this.#faultFor(operation);
    if (fault !== undefined) {
      const key = `${operation} ${fault.kind === 'error' ? fault.type : fault.kind}`;
      this.injected.set(key, (this.injected.get(key) ?? 0) + 1);
    }
    switch (fault?.kind) {
      case 'error':
        response.writeHead(fault.status, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-requestid': 'fault-proxy',
        });
        response.end(
          JSON.stringify({ __type: fault.type, message: fault.message ?? 'injected by the fault proxy' }),
        );
        return;
      case 'reset':
        request.socket.destroy();
        return;
      case 'hold':
        this.#held.add(response);
        this.onHold(operation);
        return;
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, fault.milliseconds));
        break;
      default:
        break;
    }
    try {
      const upstream = await this.#forward(request, body);
      if (fault?.kind === 'lose-response') {
        request.socket.destroy();
        return;
      }
      response.writeHead(upstream.status, upstream.headers);
      response.end(upstream.body);
    } catch {
      request.socket.destroy();
    }
  }

  #faultFor(operation: string): Fault | undefined {
    for (const rule of this.#rules) {
      const matches =
        typeof rule.operation === 'string' ? rule.operation === operation : rule.operation.test(operation);
      if (!matches || rule.applied >= (rule.times ?? Number.POSITIVE_INFINITY)) continue;
      if (rule.skipped < (rule.skip ?? 0)) {
        rule.skipped += 1;
        continue;
      }
      rule.applied += 1;
      return rule.fault;
    }
    return undefined;
  }

  #forward(
    request: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const headers = { ...request.headers, host: this.#upstream.host };
      const upstream = httpRequest(
        {
          host: this.#upstream.hostname,
          port: this.#upstream.port,
          method: request.method,
          path: request.url,
          headers,
        },
        (answer) => {
          void readBody(answer).then((answerBody) => {
            const answerHeaders: Record<string, string | string[]> = {};
            for (const [name, value] of Object.entries(answer.headers)) {
              if (value !== undefined && name !== 'transfer-encoding' && name !== 'connection')
                answerHeaders[name] = value;
            }
            answerHeaders['content-length'] = String(answerBody.length);
            resolve({ status: answer.statusCode ?? 502, headers: answerHeaders, body: answerBody });
          }, reject);
        },
      );
      upstream.once('error', reject);
      upstream.end(body);
    });
  }
}

/** `secretsmanager.UpdateSecret`, `dynamodb.PutItem`: the service and operation of an AWS JSON request. */
function operationOf(request: IncomingMessage): string {
  const target = String(request.headers['x-amz-target'] ?? '');
  const [service = 'unknown', operation = 'unknown'] = target.split('.');
  return `${service.startsWith('DynamoDB') ? 'dynamodb' : service.toLowerCase()}.${operation}`;
}

async function readBody(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
