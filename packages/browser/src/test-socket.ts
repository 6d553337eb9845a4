// A WebSocket stand-in for the happy-dom unit tests of the WebSocket sender and tracker; the
// end-to-end test (e2e-ws.test.ts) drives a real socket in Chromium against a real server.
import type { TrackerEvent } from './types.ts';

export interface Frame {
  type: string;
  id?: string;
  key?: string;
  events?: TrackerEvent[];
}

/** A WebSocket stand-in: records frames; the test opens, answers and closes it as a server would. */
export class FakeSocket {
  static all: FakeSocket[] = [];
  frames: Frame[] = [];
  closedWith: number | undefined;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    this.frames.push(JSON.parse(data));
  }
  close(code: number): void {
    this.closedWith = code;
  }
  open(): void {
    this.onopen?.();
  }
  answer(message: object): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code = 1006): void {
    this.onclose?.({ code });
  }
  ingests(): Frame[] {
    return this.frames.filter((frame) => frame.type === 'ingest');
  }
}
