export type { FileJournalOptions } from './file-journal.ts';
export { fileJournal } from './file-journal.ts';
