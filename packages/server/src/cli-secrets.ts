import type { CliEnv, FlagValues } from './cli-env.ts';

/** The flags that hold a secret, the variable each falls back to, and what leaving it out means. */
const SECRETS = {
  'api-key': { env: 'TRACKER_API_KEY', without: 'to run without a write key' },
  'read-key': { env: 'SKOPOS_READ_KEY', without: 'to run without a read key' },
  'dashboard-password': { env: 'SKOPOS_DASHBOARD_PASSWORD', without: 'to run without a dashboard login' },
} as const;

export type SecretFlag = keyof typeof SECRETS;
/** A variable holding a secret: set but empty, it counts as unset, and the startup summary says so. */
export type SecretEnv = (typeof SECRETS)[SecretFlag]['env'];

/** A secret (absent = none), the variable that was set but empty, or why the flag is refused. */
export type SecretValue = { value?: string; emptyEnv?: SecretEnv } | { error: string };

/**
 * Why a flag given empty is refused: empty is what `--flag "$VARIABLE"` gives when the variable is
 * unset, and reading it as "none" would quietly drop what the command line asked for.
 */
export function emptyFlagMessage(flag: string, variable: string, leftOut = ''): string {
  const tail = leftOut === '' ? '' : ` ${leftOut}`;
  return `--${flag} is empty: if it comes from a variable (--${flag} "$${variable}"), that variable is unset or empty. Set it, or leave --${flag} out${tail}`;
}

/** Blank counts as empty: HTTP trims a header's value, so a key of spaces could never be sent. */
const isBlank = (value: string): boolean => value.trim() === '';

/**
 * `--api-key ""` is refused: it is what `--api-key "$TRACKER_API_KEY"` becomes when the variable is
 * unset, and reading it as "no key" would start an open server from a command line that asked for
 * a key. An empty variable is taken as unset instead, as container files mean by `TRACKER_API_KEY=`;
 * that never opens more than the defaults do (without keys, reads stay on this machine).
 * `without` replaces what the message says leaving the flag out does.
 */
export function secretOf(flag: SecretFlag, values: FlagValues, env: CliEnv, without?: string): SecretValue {
  const { env: name } = SECRETS[flag];
  const given = values[flag];
  if (given !== undefined) {
    if (!isBlank(given)) return { value: given };
    return { error: emptyFlagMessage(flag, name, without ?? SECRETS[flag].without) };
  }
  const fromEnv = env[name];
  if (fromEnv === undefined) return {};
  return isBlank(fromEnv) ? { emptyEnv: name } : { value: fromEnv };
}

/** The secrets of `serve`, and the variables among them that were set but empty. */
export interface ServeSecrets {
  apiKey?: string;
  readKey?: string;
  dashboardPassword?: string;
  emptyEnv: SecretEnv[];
}

const SERVE_SECRETS = [
  ['api-key', 'apiKey'],
  ['read-key', 'readKey'],
  ['dashboard-password', 'dashboardPassword'],
] as const;

/** `serve`'s keys and password, or why one is refused. */
export function serveSecrets(values: FlagValues, env: CliEnv): ServeSecrets | string {
  const secrets: ServeSecrets = { emptyEnv: [] };
  for (const [flag, key] of SERVE_SECRETS) {
    const secret = secretOf(flag, values, env);
    if ('error' in secret) return secret.error;
    if (secret.value !== undefined) secrets[key] = secret.value;
    // With --no-dashboard there is no login for an empty password variable to leave out.
    const unused = flag === 'dashboard-password' && values['no-dashboard'];
    if (secret.emptyEnv && !unused) secrets.emptyEnv.push(secret.emptyEnv);
  }
  return secrets;
}
