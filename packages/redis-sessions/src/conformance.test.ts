import { describeSessionStore } from '@skopos/core/testing';
import { type RedisTestServer, startRedisServer } from '@skopos/test-utils';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { redisSessionStore } from './redis-session-store.ts';
import { testCommit } from './test-support/commits.ts';
import { type RedisTestCluster, startRedisCluster } from './test-support/redis-cluster.ts';

// One server and one cluster for the file: every case uses websites of its own, so they never meet.
let single: RedisTestServer;
let cluster: RedisTestCluster;

beforeAll(async () => {
  [single, cluster] = await Promise.all([startRedisServer(), startRedisCluster(3)]);
});
afterAll(async () => {
  await Promise.all([single?.stop(), cluster?.stop()]);
});

const clusterClient = () =>
  new Cluster(cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })));

describeSessionStore({
  name: 'redis (url, single node)',
  create: () => redisSessionStore({ url: single.url, commandTimeoutMs: 5_000 }),
  destroy: (store) => store.close?.(),
});

// Three masters: commits are routed to the node of their website's slot, and Redis refuses a script
// whose keys are in different slots (CROSSSLOT), so this also proves each commit's keys share one.
describeSessionStore({
  name: 'redis (Cluster client, 3 nodes, prefix)',
  create: () =>
    redisSessionStore({ client: clusterClient(), prefix: 'app:sessions', commandTimeoutMs: 5_000 }),
  destroy: async (store) => {
    await store.close?.();
    await (store as ReturnType<typeof redisSessionStore>).client.quit();
  },
});

it('spreads websites over the nodes of a cluster', async () => {
  const client = clusterClient();
  const store = redisSessionStore({ client, prefix: 'spread' });
  try {
    for (let site = 0; site < 30; site++) {
      expect((await store.commit(testCommit(`site-${site}`))).status).toBe('committed');
    }
    const perNode = await Promise.all(
      cluster.nodes.map(async (node) => {
        const direct = new Redis(node.port, '127.0.0.1');
        const keys = await direct.keys('spread:*');
        await direct.quit();
        return keys.length;
      }),
    );
    expect(
      perNode.reduce((a, b) => a + b),
      'session, identity and visitor of each site',
    ).toBe(90);
    expect(
      perNode.every((count) => count > 0),
      `keys per node ${perNode.join(', ')}`,
    ).toBe(true);
  } finally {
    await client.quit();
  }
});
