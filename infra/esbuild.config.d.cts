import type { BuildOptions } from 'esbuild';

/** serverless-esbuild's options: the shared esbuild options plus the plugin's own settings. */
declare function serverlessEsbuildOptions(): BuildOptions & {
  outputFileExtension: '.mjs';
  exclude: string[];
  packager: 'npm';
};

declare namespace serverlessEsbuildOptions {
  /** The esbuild options every build of the functions uses. */
  const esbuildOptions: BuildOptions;
  /** The functions, one bundle each. */
  const FUNCTION_NAMES: readonly string[];
}

export = serverlessEsbuildOptions;
