// Builds dist/<function>/index.mjs for every function. Usage: node infra/build.mjs
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';
import { esbuildOptions, FUNCTION_NAMES } from './esbuild.config.cjs';

const projectRoot = new URL('..', import.meta.url);

await rm(new URL('dist', projectRoot), { recursive: true, force: true });
await Promise.all(
  FUNCTION_NAMES.map((name) =>
    build({
      ...esbuildOptions,
      absWorkingDir: projectRoot.pathname,
      entryPoints: { [`${name}/index`]: `functions/${name}.ts` },
      outdir: 'dist',
      metafile: true,
    }),
  ),
);
console.log(`built ${FUNCTION_NAMES.map((name) => `dist/${name}/index.mjs`).join(', ')}`);
