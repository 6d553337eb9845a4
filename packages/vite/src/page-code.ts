import { SkoposError } from '@skopos/core';

/**
 * Page code generation: option values written into a `<script>` as JavaScript, not JSON, because
 * vite-plugin-monitor's options hold RegExps (ignore lists) and a function (`track.userId`). The
 * peer writes them with `JSON.stringify`, which turns every RegExp into `{}`; here they arrive as
 * RegExps. Everything is safe to inline: nothing can end the `<script>` or open a comment.
 */

/** JSON that cannot end the `<script>` it sits in (`</script>`, `<!--`) nor break on U+2028/9. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * A plain value as a frozen JavaScript expression: objects and arrays frozen at every level (page
 * code cannot redirect the tracker by mutating its config), RegExps rebuilt from source and flags,
 * `undefined` members left out as JSON would.
 */
export function frozenLiteral(value: unknown): string {
  if (value instanceof RegExp) return `new RegExp(${inlineJson(value.source)},${inlineJson(value.flags)})`;
  if (Array.isArray(value)) return `Object.freeze([${value.map(frozenLiteral).join(',')}])`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .map(([key, inner]) => `${inlineJson(key)}:${frozenLiteral(inner)}`);
    return `Object.freeze({${members.join(',')}})`;
  }
  return inlineJson(value ?? null);
}

/**
 * A user's function as an expression the page can call. `toString()` of a method shorthand
 * (`userId() { … }`) is not an expression on its own, so such sources are wrapped in an object
 * literal and read back by name. The source is the user's own config code, shipped as the peer does.
 */
export function functionExpression(fn: (...args: never[]) => unknown): string {
  const source = fn.toString();
  const expression = (text: string): boolean => {
    try {
      new Function(`return (${text});`);
      return true;
    } catch {
      return false;
    }
  };
  if (expression(source)) return `(${source})`;
  const wrapped = `({${source}})[${inlineJson(fn.name)}]`;
  if (expression(wrapped)) return wrapped;
  throw new SkoposError(
    'invalid_options',
    `[skopos/vite] track.userId cannot be written into the page: ${source.slice(0, 80)} (give a plain function or arrow function, not a bound or built-in one)`,
  );
}
