import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

/** The folder of the sample events: one folder per source, shared by `npm start`, `npm run invoke` and the tests. */
export const EVENTS_DIRECTORY = resolve(import.meta.dirname, '../../events');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Reads a sample event (a path relative to events/, or any path) as a fresh deep copy. */
export function loadEvent<T = JsonObject>(path: string): T {
  const file = isAbsolute(path) ? path : resolve(EVENTS_DIRECTORY, path);
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

// One copy of the freshening, shared with the sls invoke local plugin (see freshen-event.mjs).
export { type FreshenOptions, freshenEvent } from './freshen-event.mjs';
