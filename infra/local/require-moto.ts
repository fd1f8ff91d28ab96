// First step of `npm test`: without moto the tests against the local stack cannot run, so stop at once
// with the install command instead of after the lint and the type check.
import { exitWithStartupFailure } from './local-stack.ts';
import { assertMotoInstalled } from './moto-server.ts';

try {
  assertMotoInstalled();
} catch (failure) {
  exitWithStartupFailure(failure);
}
