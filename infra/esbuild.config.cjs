// The one esbuild configuration: `npm run build`, the tests, the benchmark and the deployment packaging
// (serverless-esbuild, through the function exported below) all build the functions with these options, so
// what is tested is what is deployed. CommonJS because serverless-esbuild loads it with require().

/** The functions: one handler file each at the top of functions/, one bundle each in dist/<name>/index.mjs. */
const FUNCTION_NAMES = ['eventbridge', 'sqs', 'step-functions'];

/** @type {import('esbuild').BuildOptions} */
const esbuildOptions = {
  bundle: true,
  minify: true,
  // Class and function names survive minification: error classes keep their names in stack traces and for
  // tools that read constructor.name (sls invoke local reports errorType from it).
  keepNames: true,
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

/** The same options in serverless-esbuild's terms: it names the output extension itself and bundles all. */
function serverlessEsbuildOptions() {
  const { outExtension: _named, ...options } = esbuildOptions;
  return { ...options, outputFileExtension: '.mjs', exclude: [], packager: 'npm' };
}

module.exports = serverlessEsbuildOptions;
module.exports.esbuildOptions = esbuildOptions;
module.exports.FUNCTION_NAMES = FUNCTION_NAMES;
