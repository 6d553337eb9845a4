import type { EventLevel } from '../model/event-types.ts';
import type { EventRecord } from '../model/records.ts';

/** The vite-plugin-monitor fields an event keeps as they came (validated and bounded). */
export type MonitorFields = Pick<
  EventRecord,
  'clientSessionId' | 'userId' | 'groupId' | 'context' | 'payload' | 'meta'
>;

/** What the recorder needs of an event, whatever its source (either browser shape or a server call). */
export interface PreparedEvent {
  type: string;
  level: EventLevel;
  /** Path of the page the event happened on ('' when it has none, e.g. a server event). */
  path: string;
  /** Whether the event tells which page the visitor is on now (it then becomes the session's exit page). */
  onPage: boolean;
  eventName: string;
  eventData?: Record<string, unknown> | undefined;
  /** A client-made id: the stored id is derived from it so a re-sent event is stored once. */
  clientEventId?: string | undefined;
  /** `clientEventId` was derived from the event's content (the client gave none): copies may be distinct events. */
  derivedIdentity?: boolean | undefined;
  /** The client's clock (epoch ms), checked against the skew by the pipeline. */
  clientTime?: number | undefined;
  /** The page URL (UTM and click ids are read from the landing page); absent for monitor and server events. */
  url?: URL | undefined;
  /** A monitor event's `meta.route` when it has a query: the landing page's UTM and click ids. */
  routeQuery?: URL | undefined;
  referrer: string;
  screenWidth: number;
  screenHeight: number;
  language: string;
  jsError?: { message: string; stack: string; url: string; path: string };
  /**
   * Seconds of visible time the tracker reports for the page. With `signalOnly`, the event is an
   * engagement signal: it updates its session and is not stored or counted as an event.
   */
  visibleSeconds?: number | undefined;
  signalOnly?: boolean;
  /**
   * A custom `duration` (seconds) the caller reported, e.g. a time on task: 10 s or more engages the
   * session (the original Skopos SDK's rule). Unlike visible time, it says nothing of the rest of
   * the visit, so it does not replace the span rule.
   */
  reportedDuration?: number | undefined;
  monitor?: MonitorFields;
}
