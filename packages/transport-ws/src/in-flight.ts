/** What the limiter needs of a socket: `ws`'s `WebSocket` pauses and resumes reading from its TCP socket. */
export interface Pausable {
  pause(): void;
  resume(): void;
}

export interface InFlightLimits {
  /** Messages of one connection read and not yet answered, or answered and not yet written out. */
  perConnection: number;
  /** Messages being handled, over every connection. */
  total: number;
}

/** Counters of the server's flow control (see `SkoposWebSocketServer.stats`). */
export interface InFlightStats {
  inFlight: number;
  peakInFlight: number;
  peakInFlightPerConnection: number;
  pausedConnections: number;
  pauses: number;
  refused: number;
}

/** One message's place in the limits; each method does something the first time only. */
export interface Slot {
  /** The message is handled: it no longer counts against the server-wide limit. */
  handled(): void;
  /** Its answer is written out to the socket (or it has none): the connection's place is free too. */
  release(): void;
}

/**
 * How a message takes its slot: `normal` within both limits; `essential` (`auth`) ignores the
 * server-wide limit, since refusing it would end the connection, not slow it down; `kept` (a frame
 * of a client that never re-sends what is refused) ignores both, so it is never lost: the socket
 * is paused all the same, so what is kept past the limits is what `ws` had read before the pause.
 */
export type SlotKind = 'normal' | 'essential' | 'kept';

export interface ConnectionFlow {
  /** A slot for one message, or `undefined` when a limit is reached: refuse the message. */
  acquire(kind?: SlotKind): Slot | undefined;
  /** The connection is gone: its slots are given back. */
  close(): void;
}

export interface InFlightLimiter {
  open(socket: Pausable): ConnectionFlow;
  stats(): InFlightStats;
}

interface Flow {
  socket: Pausable;
  /** Messages read and not yet released. */
  held: number;
  /** Of those, the ones still being handled. */
  busy: number;
  closed: boolean;
}

/**
 * Bounds what a server holds. Per connection: the messages read and not yet answered, or answered
 * and not yet written to the socket, so that a client that sends without reading its answers fills
 * the kernel's buffers, not ours. Over every connection: the messages being handled, so that such a
 * client, once its answers are written, holds no share of the server's. A connection at a limit
 * stops being read (TCP pushes back on the client) until slots free; frames `ws` had already read
 * when it paused are refused, not queued, so the memory held never grows with what clients send.
 */
export function createInFlightLimiter(limits: InFlightLimits): InFlightLimiter {
  let total = 0;
  const paused = new Set<Flow>();
  const counts = { peakInFlight: 0, peakInFlightPerConnection: 0, pauses: 0, refused: 0 };
  // Resumed at the first free place, a flooding client would have a whole read of frames refused
  // for each one taken; waiting for half of its places keeps that share small.
  const resumeAt = Math.floor(limits.perConnection / 2);

  const full = (flow: Flow, essential: boolean): boolean =>
    flow.held >= limits.perConnection || (!essential && total >= limits.total);

  function pause(flow: Flow): void {
    if (paused.has(flow) || flow.closed) return;
    paused.add(flow);
    counts.pauses += 1;
    flow.socket.pause();
  }

  /** Resumes at most as many connections as there are free slots: resuming all would have most of them refused again. */
  function resumeWaiting(): void {
    let free = limits.total - total;
    for (const flow of paused) {
      if (free <= 0) return;
      if (flow.held > resumeAt) continue;
      paused.delete(flow);
      flow.socket.resume();
      free -= 1;
    }
  }

  function take(flow: Flow): Slot {
    flow.held += 1;
    flow.busy += 1;
    total += 1;
    counts.peakInFlight = Math.max(counts.peakInFlight, total);
    counts.peakInFlightPerConnection = Math.max(counts.peakInFlightPerConnection, flow.held);
    if (full(flow, false)) pause(flow);
    let busy = true;
    let held = true;
    const handled = (): void => {
      if (!busy || flow.closed) return;
      busy = false;
      flow.busy -= 1;
      total -= 1;
      resumeWaiting();
    };
    return {
      handled,
      release() {
        handled();
        if (!held || flow.closed) return;
        held = false;
        flow.held -= 1;
        resumeWaiting();
      },
    };
  }

  return {
    open(socket) {
      const flow: Flow = { socket, held: 0, busy: 0, closed: false };
      return {
        acquire(kind = 'normal') {
          if (flow.closed) return undefined;
          if (kind === 'kept' || !full(flow, kind === 'essential')) return take(flow);
          counts.refused += 1;
          pause(flow);
          return undefined;
        },
        close() {
          if (flow.closed) return;
          flow.closed = true;
          total -= flow.busy;
          flow.busy = 0;
          flow.held = 0;
          paused.delete(flow);
          resumeWaiting();
        },
      };
    },
    stats: () => ({ inFlight: total, pausedConnections: paused.size, ...counts }),
  };
}
