'use strict';
// `sls invoke local` loads a handler with require(), trying `<file>` and `<file>.cjs`, never `.mjs`; our
// bundles are ES modules (`.mjs`, like the deployed ones). After serverless-esbuild has built the function
// for the local invocation, this adds `<file>.cjs` that re-exports the `.mjs` bundle (Node >= 20.19 can
// require an ES module). Deployment packages are not touched.
const fs = require('node:fs');
const path = require('node:path');

/**
 * @typedef {{ serviceDir: string, service: { getFunction: (name: string) => { handler: string } } }} Serverless
 */

class EsmInvokeLocal {
  /**
   * @param {Serverless} serverless
   * @param {{ function: string }} options
   */
  constructor(serverless, options) {
    this.hooks = {
      'before:invoke:local:invoke': () => addCommonJsEntry(serverless, options.function),
    };
  }
}

/**
 * @param {Serverless} serverless
 * @param {string} functionName
 */
function addCommonJsEntry(serverless, functionName) {
  const { handler } = serverless.service.getFunction(functionName);
  const bundle = path.join(serverless.serviceDir, handler.slice(0, handler.lastIndexOf('.')));
  if (fs.existsSync(`${bundle}.mjs`) && !fs.existsSync(`${bundle}.cjs`)) {
    fs.writeFileSync(`${bundle}.cjs`, `module.exports = require('./${path.basename(bundle)}.mjs');\n`);
  }
}

module.exports = EsmInvokeLocal;
