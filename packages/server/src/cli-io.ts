/** Where the CLI writes and how it learns it must stop (process signals in `cli.ts`, stubs in tests). */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /**
   * Resolves with the signal name when the CLI must stop; `onRepeat` runs if another one arrives
   * later (not the same Ctrl+C delivered twice: see `stop-signals.ts`).
   */
  waitForStop(onRepeat: () => void): Promise<string>;
}

/** The message of any thrown value, without a stack trace: the CLI's users need the what and the fix. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
