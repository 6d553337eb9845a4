import type {
  MonitorConfig,
  MonitorEvent,
  MonitorLevel,
  MonitorType,
  TrackEventOptions,
  UserIdFn,
} from './types.ts';

// vite-plugin-monitor's keys: a page moving from it to Skopos keeps its tab's session and user.
const SESSION_KEY = '__tracker_session_id__';
const USER_KEY = '__tracker_user_id__';

type Fields = Record<string, unknown>;

/**
 * A random id. `randomUUID` only exists on secure origins, and a dev server on a LAN IP is not one;
 * the fallback is the one `analytics.ts` uses for event ids (it gzips away).
 */
export const uuid = (): string =>
  crypto.randomUUID?.() ?? crypto.getRandomValues(new Uint32Array(4)).join('-');

// Storage throws in sandboxed frames and with cookies blocked: the ids then last as long as the page.
function load(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}
function save(key: string, value: string): string {
  try {
    sessionStorage.setItem(key, value);
  } catch {}
  return value;
}

/** Who is tracked and what every event carries; `event()` wraps a payload in the full envelope. */
export interface MonitorSession {
  readonly sessionId: string;
  userId: string;
  /** `setContext()`'s keys, sent as every event's `context`. */
  context: Fields;
  /** A new user (`null`: a new anonymous id) with its attributes, kept for the tab like the session. */
  identify(userId: string | null, attributes?: Fields): void;
  /** Adopts what `userIdFn` answers, when it names a user. */
  resolve(userIdFn?: UserIdFn): void;
  event(type: MonitorType, level: MonitorLevel, payload: Fields, options?: TrackEventOptions): MonitorEvent;
}

export function createSession(config: MonitorConfig, userIdFn?: UserIdFn): MonitorSession {
  let attributes: Fields | undefined;
  const session: MonitorSession = {
    // Kept in sessionStorage: a reload or an MPA link in the same tab continues the session.
    sessionId: load(SESSION_KEY) || save(SESSION_KEY, `sess_${uuid()}`),
    userId: load(USER_KEY) || save(USER_KEY, `anon_${uuid()}`),
    context: {},
    identify(userId, next) {
      session.userId = save(USER_KEY, userId ?? `anon_${uuid()}`);
      // Replaced, not merged: the old user's attributes must not describe the new one.
      attributes = next && Object.keys(next).length ? { ...next } : undefined;
    },
    resolve(fn) {
      const userId = fn?.();
      if (userId) session.userId = save(USER_KEY, userId);
    },
    event(type, level, payload, options = {}) {
      const context =
        Object.keys(session.context).length || options.context
          ? { ...session.context, ...options.context }
          : undefined;
      // Undefined fields vanish in JSON: the event has exactly vite-plugin-monitor's keys.
      return {
        timestamp: new Date().toISOString(),
        level,
        type,
        appId: config.appId || 'unknown',
        sessionId: session.sessionId,
        userId: session.userId,
        groupId: options.groupId,
        context,
        payload,
        meta: {
          userAgent: navigator.userAgent,
          route: location.pathname + location.search,
          viewport: `${innerWidth}x${innerHeight}`,
          language: navigator.language,
          referrer: document.referrer || undefined,
          buildVersion: config.buildVersion,
          userAttributes: attributes,
        },
      };
    },
  };
  session.resolve(userIdFn);
  return session;
}
