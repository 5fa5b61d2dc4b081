import { appendFileSync } from 'node:fs';

// Module-loader hook (registered by module-trace.ts) that appends every module URL loaded to the file
// named by TSNAS_MODULE_TRACE: hooks run on their own thread, so a file is the simplest way out.

type Next = (url: string, context: unknown) => Promise<unknown>;

export async function load(url: string, context: unknown, next: Next): Promise<unknown> {
  const file = process.env.TSNAS_MODULE_TRACE;
  if (file) appendFileSync(file, `${url}\n`);
  return next(url, context);
}
