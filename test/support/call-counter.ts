import type { MiddlewareStack } from '@smithy/types';

// biome-ignore lint/suspicious/noExplicitAny: any SDK v3 client's stack, whatever its service's types
type AnyClient = { readonly middlewareStack: MiddlewareStack<any, any> };

/** Counts the commands a client sends, by name (an SDK middleware: counted, not estimated). */
export function countCalls(client: AnyClient): Map<string, number> {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => (args) => {
      const name = String(context.commandName ?? 'unknown');
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'testCallCounter' },
  );
  return counts;
}

export const totalCalls = (counts: Map<string, number>): number =>
  [...counts.values()].reduce((sum, count) => sum + count, 0);
