export type { QueueDropReason, WriteQueue, WriteQueueCounters, WriteQueueOptions } from './types.ts';
export type { RetryOptions } from './write-health.ts';
export { createWriteQueue } from './write-queue.ts';
