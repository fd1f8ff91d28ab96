import { inspect } from 'node:util';

/**
 * Captures everything the process writes to stdout and stderr, and every console call, until `restore`.
 * The Powertools logger writes through its own Console to process.stdout, so both are patched.
 */
export function captureOutput(): { text: () => string; restore: () => void } {
  const chunks: string[] = [];
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const originalConsole = consoleMethods.map((method) => console[method]);
  const record = (chunk: unknown): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  process.stdout.write = record as typeof process.stdout.write;
  process.stderr.write = record as typeof process.stderr.write;
  for (const method of consoleMethods) {
    console[method] = (...args: unknown[]) => {
      record(
        `${args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 20 }))).join(' ')}\n`,
      );
    };
  }
  return {
    text: () => chunks.join(''),
    restore: () => {
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
      consoleMethods.forEach((method, index) => {
        console[method] = originalConsole[index] as (typeof console)[typeof method];
      });
    },
  };
}
