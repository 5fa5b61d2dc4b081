import { Redis } from 'ioredis';
import { ConfigError } from '../../core/errors.js';

/** Where the Redis URL comes from when no `--redis` flag gives it. */
export const REDIS_URL_ENV = 'TSNAS_REDIS_URL';

/** The Redis URL of a flag, else of $TSNAS_REDIS_URL; checked to be redis:// or rediss:// (TLS). */
export function redisUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const url = flag ?? env[REDIS_URL_ENV];
  if (url === undefined || url === '') throw new ConfigError('redis', `give the Redis URL with --redis redis://HOST:6379 or $${REDIS_URL_ENV}`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not echoed: it may hold a password.
    throw new ConfigError('redis', 'not a URL; expected redis://[user:password@]HOST[:PORT][/DB] or rediss://... (TLS)');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new ConfigError('redis', `expected a redis:// or rediss:// URL, got ${parsed.protocol}//`);
  return url;
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(a Redis URL that does not parse)';
  }
}

/**
 * A connection for BullMQ. `maxRetriesPerRequest: null` makes commands wait through a Redis restart
 * or a dropped connection instead of failing (BullMQ requires it of workers); ioredis reconnects with
 * a capped back-off, so a search and its workers carry on once Redis is back. rediss:// turns on TLS
 * and a password in the URL is sent with AUTH: both are ioredis's own URL handling.
 */
export function connectRedis(url: string, name: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    connectionName: name,
    retryStrategy: (times) => Math.min(100 * times, 2000),
  });
}

/** Whether an error is the connection's (Redis down, unreachable, restarting) rather than a command's. */
export function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EPIPE|EAI_AGAIN)$/.test(code)) return true;
  return e instanceof Error && /Connection is closed|connect E|LOADING|Stream isn't writeable/i.test(e.message);
}
