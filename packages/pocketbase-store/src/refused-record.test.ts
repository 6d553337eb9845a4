import { describe, expect, it } from 'vitest';
import { refusedRecord } from './batch-ops.ts';

/** PocketBase's answer to a batch whose request `index` failed with `data` (the SDK's error shape). */
function batchFailure(index: number, data: unknown, status = 400) {
  return {
    status,
    response: {
      data: { requests: { [index]: { code: 'batch_request_failed', response: { status: 400, data } } } },
    },
  };
}

describe('refusedRecord: which PocketBase answers refuse a record for a value', () => {
  it('a field constraint names the request, the field and the reason', () => {
    const error = batchFailure(2, {
      path: { code: 'validation_max_text_constraint', message: 'Must be less than 40 character(s).' },
    });
    expect(refusedRecord(error)).toEqual({
      index: 2,
      field: 'path',
      code: 'validation_max_text_constraint',
      message: 'Must be less than 40 character(s).',
    });
    expect(
      refusedRecord(batchFailure(0, { name: { code: 'validation_required', message: 'Cannot be blank.' } })),
    ).not.toBeNull();
    // A select without the value (PocketBase 0.30's answer, recorded).
    const select = {
      code: 'validation_invalid_value',
      message: 'Invalid value zzz.',
      params: { value: 'zzz' },
    };
    expect(refusedRecord(batchFailure(0, { type: select }))).toMatchObject({ field: 'type' });
  });

  it('not a refusal of the value: duplicates, missing relations, catch-alls, limits, access, outages', () => {
    const not = [
      batchFailure(0, { id: { code: 'validation_not_unique', message: 'Value must be unique.' } }),
      batchFailure(0, {
        website: { code: 'validation_missing_rel_records', message: 'Failed to find all relation records.' },
      }),
      batchFailure(0, { device: { code: 'validation_invalid_value', message: 'Invalid value.' } }),
      batchFailure(0, {}),
      // The batch itself refused (too many requests): no request named.
      {
        status: 400,
        response: { data: { requests: { code: 'validation_max_batch', message: 'Too many.' } } },
      },
      { status: 400, response: { data: {} } },
      batchFailure(0, { path: { code: 'validation_max_text_constraint', message: 'x' } }, 403),
      { status: 0, response: {} },
      new Error('socket hang up'),
    ];
    for (const error of not) expect(refusedRecord(error), JSON.stringify(error)).toBeNull();
  });
});
