import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { DataError } from './errors.js';

const MB = 1024 * 1024;

/**
 * Reads a file a user named (a config, a genotype, a table): it must be a regular file of at most
 * `maxBytes`, so a folder, a device or FIFO (/dev/zero) or a huge file is refused with a message instead
 * of being read without end. `what` names it in messages ("--config file").
 */
export function readInputFile(path: string, what: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    // Non-blocking, so that opening a FIFO does not wait for a writer before it can be refused.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new DataError(`cannot read ${what} '${path}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { cause: e });
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new DataError(`${what} '${path}' is a folder, not a file`);
    if (!st.isFile()) throw new DataError(`${what} '${path}' is not a regular file (a device, FIFO or socket)`);
    if (st.size > maxBytes) throw new DataError(`${what} '${path}' is ${(st.size / MB).toFixed(1)} MB; at most ${(maxBytes / MB).toFixed(0)} MB`);
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`cannot read ${what} '${path}': ${(e as Error).message}`, { cause: e });
  } finally {
    closeSync(fd);
  }
}

export const INPUT_LIMITS = { config: MB, genotype: MB, table: 256 * MB, benchResult: 256 * MB } as const;
