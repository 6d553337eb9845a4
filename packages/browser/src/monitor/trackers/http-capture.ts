import type { HttpTrackOptions } from '../options.ts';

const SENSITIVE_HEADERS =
  'authorization cookie set-cookie x-api-key x-auth-token x-access-token x-csrf-token x-session-token proxy-authorization www-authenticate';
/** Case-insensitive substrings of JSON (and form) keys whose values are never stored. */
const SENSITIVE_KEYS =
  'password passwd pwd token secret apikey api_key auth credential ssn fiscal taxcode cvv cvc card iban bic swift private signing';

const lower = (list: string[] = []): string[] => list.map((s) => s.toLowerCase());

/**
 * vite-plugin-monitor's redaction: headers without the sensitive ones and `excludeHeaders`, names
 * lower-cased; bodies parsed as JSON, every key containing a sensitive word or one of `redactKeys`
 * replaced by `[REDACTED]` at any depth, then cut at `maxBodySize` (default 2048, 0 = no cut).
 * Unlike vite-plugin-monitor, a form-encoded body (`user=a&password=b`) is redacted too: a login form
 * posted with `URLSearchParams` would otherwise be stored in clear.
 */
export function httpCapture(options: HttpTrackOptions) {
  const dropped = [...SENSITIVE_HEADERS.split(' '), ...lower(options.excludeHeaders)];
  const secret = [...SENSITIVE_KEYS.split(' '), ...lower(options.redactKeys)];
  const max = options.maxBodySize ?? 2048;
  const isSecret = (key: string): boolean => secret.some((word) => key.toLowerCase().includes(word));
  const redact = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(redact)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value).map(([k, v]) => [k, isSecret(k) ? '[REDACTED]' : redact(v)]),
          )
        : value;
  const cut = (text: string): string | undefined =>
    max > 0 && text.length > max ? `${text.slice(0, max)}…[truncated ${text.length - max}B]` : undefined;

  return {
    headers(entries: Iterable<[string, string]>): Record<string, string> {
      const out: Record<string, string> = {};
      for (const [name, value] of entries) {
        const key = name.toLowerCase();
        if (!dropped.includes(key)) out[key] = value;
      }
      return out;
    },
    body(raw: string): unknown {
      if (!raw) return undefined;
      try {
        // Parsed before cutting: a cut JSON text could not be parsed, so it could not be redacted.
        const value = redact(JSON.parse(raw));
        return cut(JSON.stringify(value)) ?? value;
      } catch {
        if (/^[^\s=&]+=\S*$/.test(raw)) {
          const form = new URLSearchParams(raw);
          for (const key of [...form.keys()]) if (isSecret(key)) form.set(key, '[REDACTED]');
          raw = `${form}`;
        }
        return cut(raw) ?? raw;
      }
    },
  };
}
