import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * SIGSTOPs `pid` and resolves once it has stopped: a server that takes connections and never
 * answers. `kill()` returns as soon as the signal is queued; the process's other threads run on
 * until the stop reaches them (up to ~8 ms on a loaded 2-core machine, measured), long enough to
 * answer a request sent right after. On Linux this waits until every thread's state is `T`
 * (stopped); elsewhere it can only pause 200 ms. `process.kill(pid, 'SIGCONT')` thaws it.
 */
export async function freezeProcess(pid: number, timeoutMs = 10_000): Promise<void> {
  // 0 or a negative pid would stop a whole process group: this run's own, with pid 0.
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`freezeProcess needs a process id, got ${pid}`);
  process.kill(pid, 'SIGSTOP');
  if (process.platform !== 'linux') {
    await sleep(200);
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (!everyThreadStopped(pid)) {
    if (Date.now() > deadline)
      throw new Error(`process ${pid} did not stop within ${timeoutMs} ms of SIGSTOP`);
    await sleep(1);
  }
}

/** States of an exited thread or process: zombie (not reaped yet) and dead. */
const EXITED = new Set(['Z', 'X']);

function everyThreadStopped(pid: number): boolean {
  let threads: string[] = [];
  let exited = true;
  try {
    // An exited process its parent has not reaped yet still has a /proc entry: a zombie.
    exited = EXITED.has(stateIn(readFileSync(`/proc/${pid}/stat`, 'utf8')));
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    exited = true;
  }
  if (exited) throw new Error(`process ${pid} exited instead of stopping`);
  return threads.every((thread) => {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${thread}/stat`, 'utf8');
    } catch {
      return true; // the thread exited meanwhile
    }
    // Stopped, or exited meanwhile.
    const state = stateIn(stat);
    return state === 'T' || EXITED.has(state);
  });
}

/** The state letter of a `/proc/…/stat` line, `pid (name) S …`: after the last ')' (a name may hold one). */
function stateIn(stat: string): string {
  return stat[stat.lastIndexOf(')') + 2] ?? '';
}
