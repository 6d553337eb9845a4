import { getHeader, type Logger, type Skopos } from '@skopos/core';

/** User agents remembered so that each is logged once; past this, new ones are no longer logged. */
const MAX_USER_AGENTS = 1000;
/** A user agent is client input: cut it and drop control characters before it reaches a log. */
const MAX_LOGGED_LENGTH = 300;

function printable(userAgent: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const clean = userAgent.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return clean.length > MAX_LOGGED_LENGTH ? `${clean.slice(0, MAX_LOGGED_LENGTH)}…` : clean;
}

/**
 * The pipeline with bot drops made visible: the first event dropped as a bot from each user agent
 * is logged at info. Bots are dropped silently (202) by design, so without this a headless browser
 * with its default user agent looks like a broken tracker.
 */
export function logBotDrops(skopos: Skopos, logger: Logger): Skopos {
  const seen = new Set<string>();
  let full = false;
  return {
    ...skopos,
    async track(input) {
      const result = await skopos.track(input);
      if (result.ok || result.reason !== 'bot' || full) return result;
      const userAgent = getHeader(input.request.headers, 'user-agent') ?? '';
      if (seen.has(userAgent)) return result;
      if (seen.size >= MAX_USER_AGENTS) {
        full = true;
        logger.info(
          `events from more than ${MAX_USER_AGENTS} bot user agents dropped: further ones are not logged (the count is in the shutdown line)`,
        );
        return result;
      }
      seen.add(userAgent);
      logger.info(
        `event dropped as a bot (logged once per user agent): ${userAgent === '' ? '(no user agent)' : printable(userAgent)}`,
      );
      return result;
    },
  };
}
