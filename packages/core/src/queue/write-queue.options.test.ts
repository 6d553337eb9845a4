import { describe, expect, it } from 'vitest';
import { createFakeStore, queueOn } from './queue-fixtures.ts';
import type { WriteQueueOptions } from './types.ts';

describe('write queue: options', () => {
  const bad: [string, Partial<WriteQueueOptions>][] = [
    ['maxBatchSize', { maxBatchSize: 0 }],
    ['maxQueueSize', { maxQueueSize: 1.5 }],
    ['maxWriteEvents', { maxWriteEvents: Number.NaN }],
    ['batchInterval', { batchInterval: -1 }],
    ['jsErrorBatchInterval', { jsErrorBatchInterval: Number.NaN }],
    ['overflow', { overflow: 'drop-all' as WriteQueueOptions['overflow'] }],
  ];
  it.each(bad)('rejects a bad %s with a clear error', (name, override) => {
    expect(() => queueOn(createFakeStore(), override)).toThrow(
      expect.objectContaining({ code: 'invalid_options', message: expect.stringContaining(name) }),
    );
  });
});
