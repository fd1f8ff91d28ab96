// The one esbuild configuration: `npm run build`, the tests, the benchmark and the deployment packaging all
// build the functions with these options, so what is tested is what is deployed.

/** The functions: one handler file each at the top of functions/, one bundle each in dist/<name>/index.mjs. */
export const FUNCTION_NAMES = ['eventbridge', 'sqs', 'step-functions'];

/** @type {import('esbuild').BuildOptions} */
export const esbuildOptions = {
  bundle: true,
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  platform: 'node',
  // Runs on Node 20 (this machine) and on the nodejs24.x runtime.
  target: 'node20',
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  // Module-first resolution picks the SDK's ESM builds; the banner covers any CommonJS left that calls
  // require() on a Node built-in, which an ESM bundle cannot do on its own ("Dynamic require ... not supported").
  mainFields: ['module', 'main'],
  banner: {
    js: "import { createRequire as __secretUpdaterCreateRequire } from 'node:module'; const require = __secretUpdaterCreateRequire(import.meta.url);",
  },
  // The AWS SDK is bundled (not taken from the runtime) so the version tested is the version deployed.
  external: [],
  legalComments: 'none',
  logLevel: 'warning',
};
