import { resolveOptions } from '../src/core/options.js';
import type { SchedulerFactory } from '../src/core/scheduler.js';

/** The default: no scheduling, every trial evaluated once at the evaluator's top fidelity (the plain engine loop). */
export const fifoFactory: SchedulerFactory = {
  name: 'fifo',
  description: "(default) no multi-fidelity scheduling: every trial once, at the evaluator's top fidelity",
  options: {},
  create(_ctx, given) {
    resolveOptions('fifo', {}, given);
    return null;
  },
};
