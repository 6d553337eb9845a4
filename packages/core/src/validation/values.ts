/** `{}` or `Object.create(null)`: not an array, a Date, a Map or a class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A short description of a value for an issue's "(got …)": never the value itself when large. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return value.length <= 40 ? JSON.stringify(value) : 'a longer string';
    case 'number':
    case 'boolean':
      return String(value);
    case 'object': {
      if (isPlainObject(value)) return 'object';
      const ctor: unknown = (Object.getPrototypeOf(value) as { constructor?: unknown }).constructor;
      const name = typeof ctor === 'function' ? ctor.name : '';
      return name === '' ? 'object' : name;
    }
    default:
      return typeof value;
  }
}
