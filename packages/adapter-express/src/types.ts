import type { IncomingMessage } from 'node:http';

/**
 * The parts of an Express request Skopos reads, typed structurally so that the published types
 * need neither `@types/express` nor a particular Express major: `express.Request` fits it.
 */
export interface ExpressRequestLike extends IncomingMessage {
  /** The client address as Express resolved it under the app's `trust proxy` setting. */
  ip?: string | undefined;
  /** Whatever a body parser (`express.json()`, `express.text()`…) left here. */
  body?: unknown;
}

/** Express's `next`: call it to pass the request on, or with an error. */
export type NextLike = (error?: unknown) => void;
