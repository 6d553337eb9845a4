import type { StoreContext } from './context.ts';
import { RequestTimeout } from './request-timeout.ts';
import { createSseParser, type SseMessage } from './sse-parser.ts';

export interface TopicHandlers {
  onMessage(data: unknown): void;
  /** After the stream was lost and came back: changes may have been missed meanwhile. */
  onReconnect(): void;
}

export interface RealtimeClient {
  subscribe(topic: string, handlers: TopicHandlers): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const MAX_BACKOFF_MS = 5_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * PocketBase realtime (`GET /api/realtime` server-sent events + `POST /api/realtime` to set the
 * topics) over `fetch`. The `pocketbase` SDK expects a global `EventSource`, which Node 20 lacks;
 * this keeps that protocol in one file instead of patching globals or adding a dependency.
 */
export function createRealtimeClient(
  ctx: StoreContext,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): RealtimeClient {
  const topics = new Map<string, Set<TopicHandlers>>();
  let clientId: string | null = null;
  let controller: AbortController | null = null;
  let connecting: Promise<void> | null = null;
  let closed = false;

  const submit = async (): Promise<void> => {
    if (clientId === null) return;
    const body = { clientId, subscriptions: [...topics.keys()] };
    await ctx.auth.call(() => ctx.pb.send('/api/realtime', { method: 'POST', body }));
  };

  const dispatch = (message: SseMessage, connected: (id: string) => void): void => {
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      return;
    }
    if (message.event === 'PB_CONNECT') {
      connected(String((data as { clientId?: unknown }).clientId ?? ''));
      return;
    }
    for (const handlers of topics.get(message.event) ?? []) handlers.onMessage(data);
  };

  const connect = (isReconnect: boolean): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const abort = new AbortController();
      controller = abort;
      let established = false;
      // The stream itself stays open for good; only waiting for PB_CONNECT has the store's deadline.
      const deadline = setTimeout(() => {
        const reason = new RequestTimeout(timeoutMs);
        abort.abort(reason);
        reject(reason); // also when a custom fetch ignores the signal and never settles
      }, timeoutMs);
      const onConnected = (id: string): void => {
        if (abort.signal.aborted) return; // a late PB_CONNECT of an attempt given up
        clearTimeout(deadline);
        established = true;
        clientId = id;
        resolve();
        if (isReconnect) {
          ctx.logger.info('realtime connection to PocketBase restored', { url: ctx.url });
          void submit().then(
            () => {
              for (const set of topics.values()) for (const handlers of set) handlers.onReconnect();
            },
            (error: unknown) => ctx.logger.warn('realtime resubscription failed', { error: String(error) }),
          );
        }
      };
      const parse = createSseParser((message) => dispatch(message, onConnected));
      const pump = async (): Promise<void> => {
        const response = await fetchImpl(`${ctx.url}/api/realtime`, {
          headers: { accept: 'text/event-stream' },
          signal: abort.signal,
        });
        if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
        const decoder = new TextDecoder();
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          parse(decoder.decode(value, { stream: true }));
        }
      };
      void pump()
        .catch((error: unknown) => {
          if (clientId === null) reject(error);
        })
        .finally(() => {
          clearTimeout(deadline);
          // A stream that ended before PB_CONNECT must still fail the attempt, or its loop waits forever.
          if (!established) reject(new Error('realtime stream closed before PB_CONNECT'));
          if (controller === abort) {
            clientId = null;
            controller = null;
          }
          // Only a lost stream starts a reconnect loop: a failed attempt belongs to the loop (or the
          // subscribe call) that made it, and starting another here multiplied loops during an outage.
          if (established && !closed && !abort.signal.aborted && topics.size > 0) void reconnect();
        });
    });

  const reconnect = async (): Promise<void> => {
    ctx.logger.warn('realtime connection to PocketBase lost; reconnecting', { url: ctx.url });
    for (
      let delay = 200;
      !closed && topics.size > 0 && clientId === null;
      delay = Math.min(delay * 2, MAX_BACKOFF_MS)
    ) {
      await sleep(delay);
      if (closed || topics.size === 0 || clientId !== null) return;
      try {
        connecting = connect(true);
        await connecting;
      } catch {
        // keep trying with a longer delay
      } finally {
        connecting = null;
      }
    }
  };

  const disconnect = (): void => {
    controller?.abort();
    controller = null;
    clientId = null;
  };

  return {
    async subscribe(topic, handlers) {
      const set = topics.get(topic) ?? new Set<TopicHandlers>();
      const isNewTopic = set.size === 0;
      set.add(handlers);
      topics.set(topic, set);
      if (clientId === null) {
        connecting ??= connect(false).finally(() => {
          connecting = null;
        });
        try {
          await connecting;
        } catch (error) {
          set.delete(handlers);
          if (set.size === 0) topics.delete(topic);
          throw error;
        }
      }
      if (isNewTopic) await submit();
      return async () => {
        if (!set.delete(handlers) || set.size > 0) return;
        topics.delete(topic);
        if (topics.size === 0) disconnect();
        else await submit();
      };
    },
    async close() {
      closed = true;
      topics.clear();
      disconnect();
    },
  };
}
