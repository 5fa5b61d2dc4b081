import { isTsnasError } from '../core/errors.js';

/**
 * Reports a command's failure on stderr and returns its exit code: 2 for bad input or data (a tsnas
 * error, or the machine refusing: one line naming the problem; a ReportedError was reported already),
 * 3 for anything unexpected (with its stack). `program` prefixes the line (tsnas, a benchmark's name).
 */
export function reportFailure(e: unknown, program: string): number {
  if (isTsnasError(e, 'ReportedError')) return 2;
  if (isTsnasError(e) || isEnvironmentError(e)) {
    process.stderr.write(`${program}: ${oneLine((e as Error).message)}\n`);
    return 2;
  }
  process.stderr.write(`${program}: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return 3;
}

/** A failure of the machine rather than of tsnas: a system call (EACCES, ENOSPC, ...) or SQLite refusing. */
function isEnvironmentError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === 'string' && (typeof (e as { syscall?: unknown }).syscall === 'string' || code.startsWith('SQLITE_'));
}

const oneLine = (message: string) => message.replace(/\s*\n\s*/g, ' ');
