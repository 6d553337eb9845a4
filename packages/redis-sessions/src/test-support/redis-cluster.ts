import { type RedisTestServer, rawCommand, startRedisServer, waitClusterOk } from '@skopos/test-utils';

export interface RedisTestCluster {
  nodes: RedisTestServer[];
  /** Kills every node (by its PID). */
  stop(): Promise<void>;
}

const SLOTS = 16_384;

/**
 * A throwaway Redis Cluster of `size` masters on 127.0.0.1 (no replicas), the slots split evenly,
 * joined by CLUSTER MEET; answers once every node says `cluster_state:ok`.
 */
export async function startRedisCluster(size = 3, timeoutMs = 15_000): Promise<RedisTestCluster> {
  const share = Math.ceil(SLOTS / size);
  const started = await Promise.allSettled(
    Array.from({ length: size }, (_, i) =>
      startRedisServer({ cluster: { slots: [i * share, Math.min(SLOTS, (i + 1) * share) - 1] } }),
    ),
  );
  const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
  };
  try {
    const failed = started.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const [first, ...others] = nodes as [RedisTestServer, ...RedisTestServer[]];
    // Each node has a bus port of its own (startRedisServer with `cluster`), not port + 10000.
    for (const node of others) {
      await rawCommand(first.port, `CLUSTER MEET 127.0.0.1 ${node.port} ${node.busPort}`);
    }
    for (const node of nodes) await waitClusterOk(node.port, timeoutMs, node.logTail);
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes, stop };
}
