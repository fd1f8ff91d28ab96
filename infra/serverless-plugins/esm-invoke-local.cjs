'use strict';
// `sls invoke local` loads a handler with require(), trying `<file>` and `<file>.cjs`, never `.mjs`; our
// bundles are ES modules (`.mjs`, like the deployed ones). After serverless-esbuild has built the function
// for the local invocation, this adds `<file>.cjs` that re-exports the `.mjs` bundle (Node >= 20.19 can
// require an ES module), and removes it when the invocation ends, so that a later `sls package`, which
// reuses serverless-esbuild's build folder, never ships it.
const fs = require('node:fs');
const path = require('node:path');

/**
 * @typedef {{ serviceDir: string, service: { getFunction: (name: string) => { handler: string } } }} Serverless
 */

class EsmInvokeLocal {
  /**
   * @param {Serverless} serverless
   * @param {{ function: string, stage?: string, data?: unknown }} options
   */
  constructor(serverless, options) {
    this.hooks = {
      'before:invoke:local:invoke': async () => {
        addCommonJsEntry(serverless, options.function);
        // On the stage `local` (the local stack of `npm run stack`), the event gets new ids and send times as
        // `npm run invoke` gives it: the sample events' times are in the past, and refused as stale as they are.
        if (options.stage === 'local' && options.data !== undefined && options.data !== '') {
          const { freshenEvent } = await import('../local/freshen-event.mjs');
          options.data = freshenEvent(options.data);
        }
      },
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
  const entry = `${bundle}.cjs`;
  if (fs.existsSync(`${bundle}.mjs`) && !fs.existsSync(entry)) {
    fs.writeFileSync(entry, `module.exports = require('./${path.basename(bundle)}.mjs');\n`);
    // On exit rather than in an after-hook: the process ends the same way whether the handler succeeded,
    // threw, or the framework stopped on an error.
    process.once('exit', () => fs.rmSync(entry, { force: true }));
  }
}

module.exports = EsmInvokeLocal;
