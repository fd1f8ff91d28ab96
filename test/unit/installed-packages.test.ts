import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const projectRoot = new URL('../../', import.meta.url).pathname;
// Powertools matches SDK and its own errors with instanceof: a second copy of a package turns a duplicate
// delivery into a persistence error. So each of these scopes must be installed exactly once.
const SINGLE_COPY_SCOPES = ['@aws-sdk', '@aws-lambda-powertools', '@smithy'];

/** Every installed copy of every package of the scopes, found by walking node_modules (nested ones too). */
function installedCopies(): Map<string, string[]> {
  const copies = new Map<string, string[]>();
  const walk = (nodeModules: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(nodeModules);
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.startsWith('.')) continue;
      const packageDirectories = entry.startsWith('@')
        ? readdirSync(join(nodeModules, entry)).map((name) => join(nodeModules, entry, name))
        : [join(nodeModules, entry)];
      for (const directory of packageDirectories) {
        const name = directory.slice(nodeModules.length + 1);
        if (SINGLE_COPY_SCOPES.some((scope) => name.startsWith(`${scope}/`))) {
          const { version } = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as {
            version: string;
          };
          copies.set(name, [
            ...(copies.get(name) ?? []),
            `${version} at ${directory.slice(projectRoot.length)}`,
          ]);
        }
        walk(join(directory, 'node_modules'));
      }
    }
  };
  walk(join(projectRoot, 'node_modules'));
  return copies;
}

describe('installed packages', () => {
  it('holds exactly one copy of each AWS SDK, Smithy and Powertools package', () => {
    const copies = installedCopies();
    const duplicated = [...copies].filter(([, locations]) => locations.length > 1);
    expect(copies.has('@aws-sdk/client-dynamodb')).toBe(true);
    expect(copies.has('@aws-lambda-powertools/idempotency')).toBe(true);
    expect(duplicated).toEqual([]);
  });

  it('pins the AWS SDK and Powertools dependencies to exact versions that run on Node 20', () => {
    const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const [name, range] of Object.entries(manifest.dependencies)) {
      expect(range, `${name} is pinned`).toMatch(/^\d+\.\d+\.\d+$/);
    }
    for (const [name] of installedCopies()) {
      const engines = (
        JSON.parse(readFileSync(join(projectRoot, 'node_modules', name, 'package.json'), 'utf8')) as {
          engines?: { node?: string };
        }
      ).engines?.node;
      if (engines !== undefined) expect(engines, `${name} engines`).not.toMatch(/>=\s*2[2-9]/);
    }
  });
});
