export { createBatchSender } from './batch-sender.ts';
export type { HttpSendResult } from './classify-response.ts';
export type { HttpTransport } from './http-transport.ts';
export { createHttpTransport } from './http-transport.ts';
export type {
  BatchSender,
  BatchSenderCounters,
  BatchSenderOptions,
  FetchLike,
  HttpTransportOptions,
  RetryOptions,
} from './options.ts';
export { MAX_BATCH_SIZE } from './resolve-sender-options.ts';
