import type { Logger } from '@skopos/core';
import type { Connection } from './connection.ts';
import { CLOSE_TRY_AGAIN_LATER, type LiveEvent } from './protocol.ts';

/**
 * Default of `maxBufferedBytes`: a few seconds of pushes at a busy server's rate for a reader on a
 * slow link, while 100 stalled subscribers hold 400 MiB at worst instead of growing without end.
 */
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

const SLOW_REASON = 'live events left unread: reconnect and subscribe again';

/** The connections that follow events live, and the fan-out of pushes to them. */
export interface LiveFollowers {
  /** Sets what a connection follows (`undefined`: nothing). */
  follow(connection: Connection, site: string | null | undefined): void;
  /** Sends events to the connections that follow their site. */
  publish(events: readonly LiveEvent[]): void;
  hasFollowers(): boolean;
  /** Subscribers closed so far for leaving more than `maxBufferedBytes` unread. */
  readonly slowClosed: number;
}

function pushFrame(events: readonly LiveEvent[], site: string | null): string | undefined {
  const matching = site === null ? events : events.filter((event) => event.appId === site);
  return matching.length > 0 ? JSON.stringify({ type: 'push', events: matching }) : undefined;
}

/**
 * Pushes go out whether or not the subscriber reads them: past the kernel's buffer, `ws` keeps
 * them in memory. So a subscriber with more than `maxBufferedBytes` waiting is pushed nothing more
 * and closed with 1013 (try again later): a client that only fell behind reconnects and follows
 * again; one that stopped reading holds at most the cap and one frame, until `ws` drops the socket
 * when its close handshake times out.
 */
export function createLiveFollowers(maxBufferedBytes: number, logger: Logger): LiveFollowers {
  const followers = new Set<Connection>();
  let slowClosed = 0;

  const follow = (connection: Connection, site: string | null | undefined): void => {
    connection.subscription = site;
    if (site === undefined) followers.delete(connection);
    else followers.add(connection);
  };

  const closeSlow = (connection: Connection): void => {
    const waiting = connection.outgoing.queuedBytes();
    follow(connection, undefined);
    slowClosed += 1;
    logger.warn(
      `closed a live subscriber that left ${waiting} bytes unread (maxBufferedBytes: ${maxBufferedBytes}); it may reconnect`,
    );
    connection.socket.close(CLOSE_TRY_AGAIN_LATER, SLOW_REASON);
  };

  return {
    follow,
    publish(events) {
      const frames = new Map<string | null, string | undefined>();
      for (const connection of followers) {
        const { socket, subscription: site } = connection;
        if (site === undefined || socket.readyState !== socket.OPEN) continue;
        if (connection.outgoing.queuedBytes() > maxBufferedBytes) {
          closeSlow(connection);
          continue;
        }
        if (!frames.has(site)) frames.set(site, pushFrame(events, site));
        const frame = frames.get(site);
        if (frame !== undefined) connection.outgoing.send(frame);
      }
    },
    hasFollowers: () => followers.size > 0,
    get slowClosed() {
      return slowClosed;
    },
  };
}
