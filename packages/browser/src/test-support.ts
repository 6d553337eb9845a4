// Test helpers for the happy-dom unit tests: the network is stubbed (fetch and sendBeacon record
// what the tracker sends); the end-to-end test drives the real thing in Chromium.
import { vi } from 'vitest';
import type { TrackerEvent } from './types.ts';

export interface SentRequest {
  via: 'fetch' | 'beacon';
  url: URL;
  events: TrackerEvent[];
  body: string;
  /** The body's type: a fetch's `content-type` header, a beacon Blob's type ('' for a string body). */
  contentType: string;
  /** The fetch's headers, lower-cased names (a beacon has none). */
  headers: Record<string, string>;
  keepalive?: boolean;
}

/** A fetch's outcome: its status, or 'offline' for a network error. */
type Answer = number | 'offline';

export interface Network {
  requests: SentRequest[];
  /** Every event sent so far, in order. */
  events(): TrackerEvent[];
  /** What the next fetches answer: a status, or 'offline' for a network error; or a choice by request. */
  respond(answer: Answer | ((request: SentRequest) => Answer)): void;
  /** Whether sendBeacon accepts its data (browsers refuse over their quota). */
  beaconAccepts(accept: boolean): void;
}

/** Replaces fetch and navigator.sendBeacon with recorders; the tracker reads them at call time. */
export function stubNetwork(): Network {
  const requests: SentRequest[] = [];
  let answer: Answer | ((request: SentRequest) => Answer) = 200;
  let accept = true;
  // A Blob's text can only be read asynchronously: this one also keeps its string parts, so that
  // a beacon is recorded when it is sent, as the other requests are.
  vi.stubGlobal(
    'Blob',
    class RecordedBlob extends Blob {
      readonly text_: string;
      constructor(parts: BlobPart[] = [], options?: BlobPropertyBag) {
        super(parts, options);
        this.text_ = parts.map(String).join('');
      }
    },
  );
  const record = (
    via: SentRequest['via'],
    url: unknown,
    body: unknown,
    init: { keepalive?: boolean | undefined; headers?: HeadersInit | undefined } = {},
  ): void => {
    const blob = body instanceof Blob ? (body as Blob & { text_: string }) : undefined;
    const text = blob ? blob.text_ : String(body);
    const headers = Object.fromEntries(
      Object.entries((init.headers ?? {}) as Record<string, string>).map(([name, value]) => [
        name.toLowerCase(),
        value,
      ]),
    );
    const request: SentRequest = {
      via,
      url: new URL(String(url)),
      events: JSON.parse(text).events,
      body: text,
      contentType: blob ? blob.type : (headers['content-type'] ?? ''),
      headers,
    };
    if (init.keepalive !== undefined) request.keepalive = init.keepalive;
    requests.push(request);
  };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: unknown, init: RequestInit) => {
      record('fetch', url, init.body, init);
      const status = typeof answer === 'function' ? answer(requests.at(-1) as SentRequest) : answer;
      if (status === 'offline') throw new TypeError('Failed to fetch');
      return { status, ok: status < 300 } as Response;
    }),
  );
  Object.defineProperty(navigator, 'sendBeacon', {
    configurable: true,
    value: (url: unknown, body: unknown) => {
      if (!accept) return false;
      record('beacon', url, body);
      return true;
    },
  });
  return {
    requests,
    events: () => requests.flatMap((request) => request.events),
    respond(next) {
      answer = next;
    },
    beaconAccepts(next) {
      accept = next;
    },
  };
}

/** Lets pending promise callbacks (fetch answers) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** Makes the page hidden or visible and tells the document, as a tab switch does. */
export function setHidden(hidden: boolean): void {
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  Object.defineProperty(document, 'visibilityState', {
    configurable: true,
    get: () => (hidden ? 'hidden' : 'visible'),
  });
  document.dispatchEvent(new Event('visibilitychange'));
}

/** A `pageshow`/`pagehide` event as the browser fires it. */
export function pageTransition(type: 'pageshow' | 'pagehide', persisted: boolean): Event {
  return Object.assign(new Event(type), { persisted });
}
