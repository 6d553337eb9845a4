/** One parsed stack frame, normalised so that V8, SpiderMonkey and JavaScriptCore agree. */
export interface StackFrame {
  /** Function name without receiver or engine decorations; '' when anonymous. */
  fn: string;
  /** Script URL without query string or hash. */
  file: string;
  line: number;
}

/** Stacks are scanned line by line up to this many lines: the first useful frame is near the top. */
const MAX_LINES = 50;
const MAX_LINE_LENGTH = 2000;

function isDigits(text: string): boolean {
  if (text === '') return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `url:line[:column]` → file and line (the column is dropped: engines disagree on it). */
function parseLocation(location: string): { file: string; line: number } | null {
  let end = location.length;
  let colon = location.lastIndexOf(':', end - 1);
  if (colon < 0 || !isDigits(location.slice(colon + 1, end))) return null;
  let lineText = location.slice(colon + 1, end);
  end = colon;
  const before = location.lastIndexOf(':', end - 1);
  if (before >= 0 && isDigits(location.slice(before + 1, end))) {
    lineText = location.slice(before + 1, end);
    colon = before;
  }
  let file = location.slice(0, colon);
  const query = file.search(/[?#]/);
  if (query >= 0) file = file.slice(0, query);
  return { file, line: Number(lineText) };
}

/**
 * `Object.foo` / `HTMLButtonElement.onclick` (V8) and `foo` (others) → `foo`; `new Foo`, `async foo`
 * and Firefox's `async*foo` lose their prefix; Firefox's anonymous `outer/<` becomes ''.
 */
function normaliseFunction(raw: string): string {
  let name = raw.trim();
  const star = name.lastIndexOf('*');
  if (star >= 0) name = name.slice(star + 1);
  if (name.startsWith('async ')) name = name.slice(6);
  if (name.startsWith('new ')) name = name.slice(4);
  // V8 adds ` [as alias]` for methods called under another name.
  const alias = name.indexOf(' [as ');
  if (alias >= 0) name = name.slice(0, alias);
  if (name.endsWith('<') || name === '<anonymous>' || name === 'global code') return '';
  const cutAt = Math.max(name.lastIndexOf('.'), name.lastIndexOf('/'));
  return cutAt >= 0 ? name.slice(cutAt + 1) : name;
}

/** A V8 frame without the leading `at `: `fn (location)` or a bare `location`. */
function parseV8(text: string): StackFrame | null {
  const open = text.indexOf(' (');
  if (open >= 0 && text.endsWith(')')) {
    const location = parseLocation(text.slice(open + 2, -1));
    return location && { fn: normaliseFunction(text.slice(0, open)), ...location };
  }
  const location = parseLocation(text);
  return location && { fn: '', ...location };
}

/** A SpiderMonkey / JavaScriptCore frame: `fn@location`, `@location` or a bare `location`. */
function parseGecko(text: string): StackFrame | null {
  let at = text.indexOf('@');
  // `https://cdn.example/pkg@1.2.3/x.js:1:2` is a bare location, not `fn@location`.
  if (at >= 0 && text.slice(0, at).includes('://')) at = -1;
  const location = parseLocation(at >= 0 ? text.slice(at + 1) : text);
  return location && { fn: at > 0 ? normaliseFunction(text.slice(0, at)) : '', ...location };
}

/** Frames that say nothing about the site's code: engine internals, eval, extensions, the tracker itself. */
function isMeaningful(frame: StackFrame): boolean {
  const file = frame.file;
  if (file === '' || file === 'native' || file.includes('<anonymous>') || file.startsWith('eval at ')) {
    return false;
  }
  if (/^(?:chrome|moz|safari(?:-web)?)-extension:/i.test(file)) return false;
  const name = file.slice(file.lastIndexOf('/') + 1);
  return !/skopos/i.test(name);
}

/** The first frame of `stack` that points into the site's own code, or null. */
export function parseFirstMeaningfulFrame(stack: string): StackFrame | null {
  let start = 0;
  for (let count = 0; count < MAX_LINES && start < stack.length; count++) {
    let end = stack.indexOf('\n', start);
    if (end < 0) end = stack.length;
    const line = stack.slice(start, Math.min(end, start + MAX_LINE_LENGTH)).trim();
    start = end + 1;
    if (line === '') continue;
    const frame = line.startsWith('at ') ? parseV8(line.slice(3)) : parseGecko(line);
    if (frame !== null && isMeaningful(frame)) return frame;
  }
  return null;
}
