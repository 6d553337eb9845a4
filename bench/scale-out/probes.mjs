// ClickHouse and Redis counters read by bench/scale-out.mjs: what each node count costs the servers.
import { rawCommand } from '../../packages/test-utils/dist/index.mjs';

export async function chQuery(url, sql) {
  const response = await fetch(url, { method: 'POST', body: sql });
  const text = await response.text();
  if (!response.ok) throw new Error(`ClickHouse: ${sql}: ${text.slice(0, 300)}`);
  return text;
}
/** ClickHouse's own counters since it started (system.events): statements run and rows inserted. */
export async function chQueryCounts(url) {
  const sql =
    "SELECT event, value FROM system.events WHERE event IN ('SelectQuery', 'InsertQuery', 'InsertedRows') FORMAT JSONEachRow";
  const counts = { SelectQuery: 0, InsertQuery: 0, InsertedRows: 0 };
  for (const line of (await chQuery(url, sql)).split('\n').filter(Boolean)) {
    const { event, value } = JSON.parse(line);
    counts[event] = Number(value);
  }
  return counts;
}
/** Redis' INFO commandstats: calls and server time (µs) per command since it started. */
export async function redisCommandStats(port) {
  const text = (await rawCommand(port, 'INFO commandstats', 2000)) ?? '';
  const stats = {};
  for (const match of text.matchAll(/cmdstat_([a-z|_-]+):calls=(\d+),usec=(\d+)/g)) {
    if (match[1] !== 'info') stats[match[1]] = { calls: Number(match[2]), usec: Number(match[3]) };
  }
  return stats;
}
export async function chParts(url, database) {
  const sql = `SELECT count() FROM system.parts WHERE database = '${database}' AND table = 'events' AND active`;
  return Number((await chQuery(url, sql)).trim());
}
