import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { ConfigError } from '../../core/errors.js';
import { WORKERS_PER_CORE } from '../../engine/executor-config.js';
import { pluginIdentity } from '../../exec/queue/plugin-identity.js';
import { QueueWorker } from '../../exec/queue/queue-worker.js';
import { redisUrl } from '../../exec/queue/redis.js';
import { RunsFolder } from '../../store/runs-folder.js';
import { pluginSpecifier } from '../../wiring/plugins.js';
import { loadRegistries } from '../../wiring/registries.js';
import { BACKEND_CHOICES } from '../../tensor/index.js';
import { collect, intFlag, numFlag } from '../kv.js';

interface Flags {
  redis?: string;
  concurrency?: string;
  backend?: string;
  plugin?: string[];
  experiment?: string;
  lockSeconds?: string;
  maxStalled?: string;
}

const BACKENDS: readonly string[] = BACKEND_CHOICES;

/** Checks the flags and builds the worker; nothing connects before they are all good. */
async function workerFromFlags(flags: Flags): Promise<QueueWorker> {
  const url = redisUrl(flags.redis);
  const most = WORKERS_PER_CORE * availableParallelism();
  const concurrency = intFlag('--concurrency', flags.concurrency) ?? availableParallelism();
  if (concurrency < 1 || concurrency > most) throw new ConfigError('--concurrency', `expected 1 to ${most} (${WORKERS_PER_CORE} per core), got ${concurrency}`);
  if (flags.backend !== undefined && !BACKENDS.includes(flags.backend)) throw new ConfigError('--backend', `expected one of ${BACKENDS.join(', ')}, got '${flags.backend}'`);
  const lockSeconds = numFlag('--lock-seconds', flags.lockSeconds);
  if (lockSeconds !== undefined && !(lockSeconds >= 1 && lockSeconds <= 86_400)) throw new ConfigError('--lock-seconds', `expected 1 to 86400, got ${lockSeconds}`);
  const maxStalled = intFlag('--max-stalled', flags.maxStalled);
  const experiment = flags.experiment === undefined ? undefined : RunsFolder.checkName(flags.experiment);
  const plugins = (flags.plugin ?? []).map((p) => pluginSpecifier(p));
  const registries = await loadRegistries(plugins);
  return new QueueWorker({
    url,
    concurrency,
    registries,
    plugins,
    pluginIds: plugins.map((p) => pluginIdentity(p)),
    ...(experiment !== undefined ? { experiment } : {}),
    ...(flags.backend !== undefined ? { backend: flags.backend } : {}),
    ...(lockSeconds !== undefined ? { lockMs: lockSeconds * 1000 } : {}),
    ...(maxStalled !== undefined ? { maxStalled } : {}),
  });
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('take the trials of searches run with --executor queue (BullMQ on Redis) and evaluate them in worker threads; runs until SIGTERM or Ctrl-C')
    .option('--redis <url>', 'Redis URL, redis://[user:password@]HOST[:PORT][/DB] or rediss:// for TLS (default $TSNAS_REDIS_URL)')
    .option('--concurrency <n>', 'trials evaluated at once, one per worker thread (default one per core)')
    .option('--backend <name>', `tensor backend for evaluators that train networks (${BACKEND_CHOICES.join(', ')}); replaces the search's`)
    .option('--plugin <module>', "plugin module (path or package); repeatable; must be the same files as the search's", collect)
    .option('--experiment <name>', 'take trials of this experiment only (default: of every experiment a search is feeding)')
    .option('--lock-seconds <s>', 'a trial whose worker is silent this long (killed, machine lost) is handed to another worker (default 30)')
    .option('--max-stalled <n>', 'times a trial may lose its worker before it fails (default 1)')
    .action(async (flags: Flags) => {
      const worker = await workerFromFlags(flags);
      await worker.start();
      await new Promise<void>((resolve) => {
        let signals = 0;
        const stop = () => {
          if (++signals > 1) {
            // What it holds goes back by BullMQ's own path: the locks lapse and the stalled check requeues the trials.
            process.stdout.write('stopping now: running trials go back to the queue once their locks lapse\n');
            process.exit(130);
          }
          process.stdout.write('stopping: finishing running trials (again to hand them back now)\n');
          void worker.stop().then(resolve);
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
      process.stdout.write('worker stopped\n');
    });
}
