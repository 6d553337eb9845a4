export type { FileJournalOptions } from './file-journal.ts';
export { fileJournal } from './file-journal.ts';
export type { LoggingOptions, LogTransport, RotationOptions } from './logs/log-options.ts';
export { logTransports } from './logs/log-options.ts';
export type { LogFileStats } from './logs/log-writer.ts';
export type { LogFilesHandle, LoggedStore } from './logs/logged-store.ts';
export { loggedStore } from './logs/logged-store.ts';
export type { LogReplay, ReplayOptions } from './logs/replay-logs.ts';
export { replayLogs } from './logs/replay-logs.ts';
