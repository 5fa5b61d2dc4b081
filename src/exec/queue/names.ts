import { hostname } from 'node:os';

/**
 * Redis set of the queues drivers are feeding (one per experiment): how `tsnas worker` without
 * `--experiment` finds work. BullMQ's own keys stay under its default `bull:` prefix.
 */
export const EXPERIMENTS_KEY = 'tsnas:experiments';

/** The BullMQ job name of every trial (the queue says which experiment). */
export const TRIAL_JOB = 'trial';

/**
 * The BullMQ worker name of a worker process: BullMQ sets it as the Redis client name, where a driver
 * reads it (Queue.getWorkers) to learn how many trials the connected workers can run at once.
 */
export function workerName(slots: number, id = `${hostname()}#${process.pid}`): string {
  return `tsnas@${id}:slots=${slots}`;
}

/** The slots of a worker from its Redis client name (`rawname` of Queue.getWorkers), 1 for a foreign BullMQ worker. */
export function slotsOf(rawname: string | undefined): number {
  const m = /:slots=(\d+)$/.exec(rawname ?? '');
  return m ? Math.max(1, Number(m[1])) : 1;
}
