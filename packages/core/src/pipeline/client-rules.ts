import type { BotDetector } from '../detect/index.ts';
import { isLocalHostname, isLoopbackIp } from '../net/index.ts';
import type { HeaderSource } from '../util/headers.ts';
import { DropDetail, userAgentContext } from './drops.ts';
import type { CompiledSite } from './site-cache.ts';
import type { DropReason } from './types.ts';

export interface ClientFacts {
  ip: string;
  /** The connection's address as the request gave it (`::ffff:203.0.113.7`), before `ip` was resolved. */
  remoteAddress?: string;
  userAgent: string;
  headers: HeaderSource;
  /** The page's hostname ('' for server events). */
  hostname: string;
}

/** Why the client rules refused an event: the reason code, the check for people, and log context. */
export interface ClientDrop {
  reason: DropReason;
  detail: string;
  /** Shown in the once-per-kind log line only (a bot's user agent). */
  context?: string;
}

const blacklisted: ClientDrop = { reason: 'ip_blacklisted', detail: DropDetail.ipBlacklisted };
const localhostIp: ClientDrop = { reason: 'localhost', detail: DropDetail.localhostIp };
const localhostPage: ClientDrop = { reason: 'localhost', detail: DropDetail.localhostPage };

/** Pipeline step 4, in the SPEC's order: blacklist, localhost, bot. `null` = keep the event. */
export function clientDropReason(
  site: CompiledSite,
  client: ClientFacts,
  bots: BotDetector | null,
  botThreshold = 50,
): ClientDrop | null {
  if (client.ip && site.isBlacklisted(client.ip)) return blacklisted;
  if (site.config.disableLocalhostTracking) {
    if (client.ip !== '' && isLoopbackIp(client.ip)) return localhostIp;
    if (client.hostname !== '' && isLocalHostname(client.hostname)) return localhostPage;
  }
  if (bots?.isBot(client.userAgent, client.headers)) {
    // Only a bot pays for the explanation (two cache hits: the UA analysis and the header signature).
    return {
      reason: 'bot',
      detail: DropDetail.bot(bots.explain(client.userAgent, client.headers), botThreshold),
      context: userAgentContext(client.userAgent),
    };
  }
  return null;
}
