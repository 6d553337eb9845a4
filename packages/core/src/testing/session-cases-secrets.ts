import { newId } from '../util/ids.ts';
import { expect } from './assert.ts';
import type { SessionStoreCase } from './session-harness.ts';

/** The visitor-id salt every process must share (`ensureSecret`): first writer wins, atomically. */
export const secretSessionCases: SessionStoreCase[] = [
  {
    name: 'ensureSecret: the first value is kept, and 20 processes asking at once all get that one',
    capability: 'ensureSecret',
    async run({ store }) {
      const ensure = store.ensureSecret?.bind(store);
      if (ensure === undefined) throw new Error('unreachable: the case needs ensureSecret');
      const key = `salt-${newId()}`;
      expect(await ensure(key, 'first'), 'a new key keeps the value given').toBe('first');
      expect(await ensure(key, 'second'), 'an existing key answers the kept value').toBe('first');
      const racing = `salt-${newId()}`;
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => ensure(racing, `candidate-${i}`)),
      );
      expect(new Set(answers).size, 'one value for every caller').toBe(1);
      expect(/^candidate-\d+$/.test(answers[0] ?? ''), 'one of the candidates').toBe(true);
      const other = `salt-${newId()}`;
      expect(await ensure(other, 'x"\n\u00e9'), 'keys are independent; values round-trip').toBe('x"\n\u00e9');
    },
  },
];
