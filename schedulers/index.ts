import type { SchedulerFactory } from '../src/core/scheduler.js';
import { ashaFactory } from './asha.js';
import { fifoFactory } from './fifo.js';
import { hyperbandFactory } from './hyperband.js';
import { successiveHalvingFactory } from './successive-halving.js';

/** The built-in schedulers (registered by src/wiring/builtins.ts; this folder imports only src/core). */
export const BUILTIN_SCHEDULERS: readonly SchedulerFactory[] = [fifoFactory, ashaFactory, successiveHalvingFactory, hyperbandFactory];
