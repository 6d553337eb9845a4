import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Deque } from './deque.ts';

describe('Deque', () => {
  it('keeps FIFO order across growth and wrap-around', () => {
    const deque = new Deque<number>();
    for (let i = 0; i < 10; i++) deque.push(i);
    expect(deque.takeFront(7)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (let i = 10; i < 40; i++) deque.push(i);
    expect(deque.length).toBe(33);
    expect(deque.toArray()).toEqual(Array.from({ length: 33 }, (_, i) => i + 7));
  });

  it('puts a taken chunk back at the front in its order', () => {
    const deque = new Deque<string>();
    for (const x of ['a', 'b', 'c', 'd']) deque.push(x);
    const chunk = deque.takeFront(2);
    deque.push('e');
    deque.unshiftAll(chunk);
    expect(deque.toArray()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('removes matching items and keeps the rest in order', () => {
    const deque = new Deque<number>();
    for (let i = 0; i < 20; i++) deque.push(i);
    deque.takeFront(5);
    expect(deque.removeWhere((n) => n % 3 === 0)).toEqual([6, 9, 12, 15, 18]);
    expect(deque.toArray()).toEqual([5, 7, 8, 10, 11, 13, 14, 16, 17, 19]);
    expect(deque.peekFront()).toBe(5);
  });

  it('behaves like an array for any sequence of operations', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), n: fc.integer() }),
      fc.record({ kind: fc.constant('shift' as const) }),
      fc.record({ kind: fc.constant('take' as const), n: fc.nat(40) }),
      fc.record({ kind: fc.constant('unshift' as const), items: fc.array(fc.integer(), { maxLength: 40 }) }),
      fc.record({ kind: fc.constant('remove' as const), mod: fc.integer({ min: 2, max: 5 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const deque = new Deque<number>();
        let model: number[] = [];
        for (const o of ops) {
          if (o.kind === 'push') {
            deque.push(o.n);
            model.push(o.n);
          } else if (o.kind === 'shift') {
            expect(deque.shift()).toBe(model.shift());
          } else if (o.kind === 'take') {
            expect(deque.takeFront(o.n)).toEqual(model.splice(0, o.n));
          } else if (o.kind === 'unshift') {
            deque.unshiftAll(o.items);
            model = [...o.items, ...model];
          } else {
            const pred = (n: number) => n % o.mod === 0;
            expect(deque.removeWhere(pred)).toEqual(model.filter(pred));
            model = model.filter((n) => !pred(n));
          }
          expect(deque.length).toBe(model.length);
          expect(deque.peekFront()).toBe(model[0]);
        }
        expect(deque.toArray()).toEqual(model);
      }),
    );
  });
});
