import { SkoposError } from '../errors.ts';
import {
  type DescribeStoreOptions,
  describeCapability,
  type StoreCapability,
  type StoreCase,
  storeHas,
} from './harness.ts';
import { storeCases } from './store-cases.ts';

/**
 * The cases to run for these options: every case of `storeCases()`, except that the cases of a
 * capability listed in `declines` are replaced by one case checking the store really has none of
 * the listed ones. A declined capability is then a checked statement rather than a skipped test, and
 * the list cannot go stale: the day the store gains the method, that case fails and says so.
 */
export function casesFor(options: DescribeStoreOptions): StoreCase[] {
  const declined = checkedDeclines(options);
  const cases = storeCases().filter(
    (storeCase) => storeCase.capability === undefined || !declined.includes(storeCase.capability),
  );
  return declined.length === 0 ? cases : [...cases, declinesCase(declined)];
}

const CAPABILITIES: readonly StoreCapability[] = [
  'stats',
  'listWebsites',
  'getVisitor',
  'findSession',
  'knownEvents',
  'ensureSecret',
  'watchWebsite',
  'close',
  'sessionRevisions',
];

function checkedDeclines(options: DescribeStoreOptions): readonly StoreCapability[] {
  const declines = options.declines ?? [];
  for (const name of declines) {
    if (!CAPABILITIES.includes(name)) {
      throw new SkoposError(
        'invalid_options',
        `[skopos/core] describeStore: declines lists "${String(name)}", which is not an optional Store capability ` +
          `(one of ${CAPABILITIES.join(', ')}).`,
      );
    }
  }
  return declines;
}

function declinesCase(declined: readonly StoreCapability[]): StoreCase {
  return {
    name: `declines ${declined.map(describeCapability).join(', ')}: the store has none of them`,
    async run({ store }) {
      const present = declined.filter((capability) => storeHas(store, capability));
      if (present.length > 0) {
        throw new SkoposError(
          'invalid_options',
          `[skopos/core] describeStore: the store has ${present.map(describeCapability).join(', ')}, ` +
            'but declines lists it: remove it from declines so that its cases run.',
        );
      }
    },
  };
}
