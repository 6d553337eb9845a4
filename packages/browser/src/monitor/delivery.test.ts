// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/"}
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../test-socket.ts';
import { type Network, stubNetwork } from '../test-support.ts';
import { createMonitorClient } from './client.ts';
import { monitorConfig } from './test-config.ts';

let network: Network;

beforeEach(() => {
  FakeSocket.all = [];
  vi.stubGlobal('WebSocket', FakeSocket);
  network = stubNetwork();
});

describe('how the monitor client delivers', () => {
  it('websocket mode: one socket to wsEndpoint, `auth` with the key, then `ingest` frames', () => {
    const client = createMonitorClient(
      monitorConfig({
        mode: 'websocket',
        wsEndpoint: 'wss://stats.example.com/_tracker/ws',
        writeEndpoint: '',
      }),
    );
    client.init();
    const [socket, ...others] = FakeSocket.all;
    expect(others).toEqual([]);
    expect(String(socket?.url)).toBe('wss://stats.example.com/_tracker/ws');
    socket?.open();
    expect(socket?.frames[0]).toEqual({ type: 'auth', key: 'k3y' });
    const events = socket?.ingests().flatMap((frame) => frame.events ?? []) as object[];
    expect(events.some((event) => 'sessionId' in event)).toBe(true);
    expect(network.requests).toEqual([]);
    client.destroy();
    expect(socket?.closedWith).toBe(1000);
  });

  it('any other mode: HTTP batches to writeEndpoint, up to batchSize per request', () => {
    const client = createMonitorClient(
      monitorConfig({ mode: 'http', writeEndpoint: 'https://api.example.com/ingest', batchSize: 3 }),
    );
    client.init();
    client.track('a');
    client.track('b');
    expect(FakeSocket.all).toEqual([]);
    expect(network.requests.map((request) => [request.url.href, request.events.length])).toEqual([
      ['https://api.example.com/ingest?key=k3y', 3],
    ]);
    // Skopos' page view of the load, then the session start and the first custom event.
    expect(network.events().map((event) => event.type)).toEqual(['pageView', 'session', 'custom']);
    client.destroy();
  });
});
