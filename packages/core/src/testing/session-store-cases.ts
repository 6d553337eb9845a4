import { basicSessionCases } from './session-cases-basic.ts';
import { claimSessionCases } from './session-cases-claims.ts';
import { concurrencySessionCases } from './session-cases-concurrency.ts';
import { isolationSessionCases } from './session-cases-isolation.ts';
import { secretSessionCases } from './session-cases-secrets.ts';
import { ttlSessionCases } from './session-cases-ttl.ts';
import type { SessionStoreCase } from './session-harness.ts';

/**
 * Every `SessionStore` conformance case, in the order they run. The semantics are those of
 * `memorySessionStore` (the reference): a store passes when a user could not tell it from it.
 */
export function sessionStoreCases(): SessionStoreCase[] {
  return [
    ...basicSessionCases,
    ...claimSessionCases,
    ...ttlSessionCases,
    ...concurrencySessionCases,
    ...isolationSessionCases,
    ...secretSessionCases,
  ];
}
