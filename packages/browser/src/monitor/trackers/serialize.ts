/** How deep a logged object is written: a framework store or a DOM-like graph would otherwise be walked whole. */
const MAX_DEPTH = 6;

const fn = (f: { name: string }): string => `[Function: ${f.name || '(anonymous)'}]`;
const cut = (text: string, max: number, suffix: (rest: number) => string): string =>
  text.length > max ? text.slice(0, max) + suffix(text.length - max) : text;

/** JSON of an object, ≤ `MAX_DEPTH` levels, with circular (and repeated) objects, functions, bigints and elements as text. */
function json(value: object, max: number): string | undefined {
  const depth = new WeakMap<object, number>();
  // Each written value takes a character or more: past `max` of them the cut text is already fixed
  // (the `+N chars` it reports is then a lower bound).
  let budget = max;
  return JSON.stringify(
    value,
    function (this: object, _key, val: unknown) {
      if (val !== undefined && --budget < 0) return undefined;
      if (typeof val === 'bigint') return `${val}n`;
      if (typeof val === 'function') return fn(val);
      if (typeof val !== 'object' || val === null) return val;
      if (val instanceof Element) return `[${val.tagName.toLowerCase()}]`;
      if (depth.has(val)) return '[Circular]';
      const level = (depth.get(this) ?? 0) + 1;
      if (level > MAX_DEPTH) return Array.isArray(val) ? `[Array(${val.length})]` : '[Object]';
      depth.set(val, level);
      return val;
    },
    2,
  );
}

/** vite-plugin-monitor's `{ type, value }` form of one console argument, strings and JSON cut at `max`. */
export function serializeArg(value: unknown, max: number): { type: string; value: unknown } {
  const type = value === null ? 'null' : typeof value;
  const arg = (value: unknown, as = type) => ({ type: as, value });
  if (typeof value === 'string') return arg(cut(value, max, (n) => `…[+${n}]`));
  if (typeof value === 'number') return arg(Number.isFinite(value) ? value : `${value}`);
  if (typeof value === 'function') return arg(fn(value));
  if (typeof value === 'bigint') return arg(`${value}n`);
  // `undefined` and symbols as text (JSON has neither), `null` and booleans as they are.
  if (typeof value !== 'object' || !value)
    return arg(value === null || value === !!value ? value : String(value));
  if (value instanceof Element) {
    const classes = (value.getAttribute('class') ?? '').trim().replace(/\s+/g, '.');
    return arg(
      `[${value.tagName.toLowerCase()}${value.id ? `#${value.id}` : ''}${classes ? `.${classes}` : ''}]`,
      'Element',
    );
  }
  if (value instanceof Node) return arg(`[${value.constructor.name}]`, 'Node');
  if (value instanceof Error)
    return arg({ name: value.name, message: value.message, stack: value.stack }, 'Error');
  try {
    const text = json(value, max) ?? '';
    const short = cut(text, max, (n) => `\n…[+${n} chars]`);
    return arg(short === text ? JSON.parse(text) : short, Array.isArray(value) ? 'array' : type);
  } catch {
    return arg('[unserializable object]');
  }
}

/** vite-plugin-monitor's `message`: the first argument, with `%s %d %i %f %o %O %c` filled from the rest. */
export function consoleMessage(args: readonly unknown[]): string {
  if (!args.length) return '';
  const [first, ...rest] = args;
  if (typeof first === 'string') {
    return first.replace(/%[sdifoOc]/g, (token) => {
      if (!rest.length) return token;
      const sub = rest.shift();
      if (token === '%c') return '';
      if (token === '%o' || token === '%O') {
        try {
          return JSON.stringify(sub);
        } catch {
          return String(sub);
        }
      }
      return String(sub);
    });
  }
  if (first instanceof Error) return `${first.name}: ${first.message}`;
  if (Array.isArray(first)) return `[Array(${first.length})]`;
  return first !== null && typeof first === 'object' ? '[Object]' : String(first);
}
