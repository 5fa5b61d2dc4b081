import { parentPort } from 'node:worker_threads';
import { registerEvaluationBuiltins } from './evaluation-builtins.js';
import type { Evaluator, Metrics } from '../core/evaluator.js';
import { loadPlugin } from './plugins.js';
import { Registries } from '../core/registry.js';
import { describeError } from '../core/describe-error.js';
import { RECEIVED, SETUP_FAILED, STARTED, type PoolSetup, type PoolTask } from '../exec/pool-task.js';

// Worker-thread entry of the pool executor (loaded by Piscina through its default export). It
// registers only the evaluation built-ins: strategies, schedulers and the controller stay out of workers.

/**
 * Evaluators built in this worker, by the JSON of their setup: built once and reused by every later
 * task, so an evaluator keeps its dataset (or table, or compiled kernels) loaded between trials.
 */
const evaluators = new Map<string, Promise<Evaluator>>();

async function build(setup: PoolSetup): Promise<Evaluator> {
  try {
    const registries = registerEvaluationBuiltins(new Registries());
    for (const plugin of setup.plugins) await loadPlugin(plugin, registries, setup.cwd);
    const space = registries.spaces.get(setup.space.name).create(setup.space.options);
    return await registries.evaluators.get(setup.evaluator.name).create(setup.evaluator.options, space);
  } catch (e) {
    // The same setup succeeded in the main thread, so say where it failed.
    throw new Error(`${SETUP_FAILED}${describeError(e)}`, { cause: e });
  }
}

function evaluatorFor(setup: PoolSetup): Promise<Evaluator> {
  const key = JSON.stringify(setup);
  let evaluator = evaluators.get(key);
  if (!evaluator) {
    // A failed setup stays cached: it would fail the same way for every trial, only slower.
    evaluator = build(setup);
    evaluators.set(key, evaluator);
  }
  return evaluator;
}

export default async function evaluateTask(task: PoolTask): Promise<Metrics> {
  parentPort?.postMessage({ [RECEIVED]: task.id });
  const evaluator = await evaluatorFor(task.setup);
  parentPort?.postMessage({ [STARTED]: task.id });
  try {
    return await evaluator.evaluate(task.request);
  } catch (e) {
    // Only an Error crosses the thread with its message; whatever else a plugin throws is described here.
    throw e instanceof Error ? e : new Error(describeError(e));
  }
}
