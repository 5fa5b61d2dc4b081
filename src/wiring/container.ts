import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { checkJson } from '../core/check-json.js';
import { describeError } from '../core/describe-error.js';
import { ConfigError, isTsnasError, TsnasError } from '../core/errors.js';
import type { Evaluator } from '../core/evaluator.js';
import type { Executor } from '../core/executor.js';
import { Rng } from '../core/rng.js';
import type { Scheduler } from '../core/scheduler.js';
import type { SearchSpace } from '../core/space.js';
import type { ExperimentStore } from '../core/store.js';
import type { Strategy } from '../core/strategy.js';
import { RewardExpression } from '../engine/reward.js';
import { createExecutor } from './create-executor.js';
import type { ComponentConfig, RunConfig } from '../engine/config.js';
import { MultiFidelityEngine } from '../engine/multi-fidelity-engine.js';
import { engineOptions, type EngineOptions } from '../engine/options.js';
import type { Registries } from '../core/registry.js';
import { SearchEngine } from '../engine/search-engine.js';
import { TOKENS } from '../engine/tokens.js';

/** The parts of a run, built from a config: what the engine gets injected. */
export interface RunParts {
  readonly space: SearchSpace;
  readonly strategy: Strategy;
  readonly evaluator: Evaluator;
  readonly reward: RewardExpression;
  readonly executor: Executor;
  /** Multi-fidelity searches: the scheduler (absent: every trial once at the top fidelity). */
  readonly scheduler?: Scheduler;
}

/** Calls a component factory, turning what a plugin's factory throws into an error naming the component. */
async function create<T>(kind: string, name: string, make: () => T | Promise<T>): Promise<T> {
  try {
    return await make();
  } catch (e) {
    if (isTsnasError(e)) throw e;
    throw new TsnasError(`${kind} '${name}' could not be created: ${describeError(e)}`, { cause: e });
  }
}

/**
 * Builds space, evaluator, reward, strategy, scheduler and executor (the one the config names, unless
 * `makeExecutor` is given) from the registries; every name and option is checked, the reward against
 * the evaluator's metrics and the strategy's state for surviving a checkpoint: all before any store
 * is touched.
 */
export async function buildParts(config: RunConfig, registries: Registries, makeExecutor?: (evaluator: Evaluator) => Executor): Promise<RunParts> {
  const spaceFactory = registries.spaces.get(config.space.name);
  const evaluatorFactory = registries.evaluators.get(config.evaluator.name);
  const strategyFactory = registries.strategies.get(config.strategy.name);
  const schedulerFactory = config.scheduler && registries.schedulers.get(config.scheduler.name);
  if (evaluatorFactory.spaces && !evaluatorFactory.spaces.includes(spaceFactory.name)) {
    throw new ConfigError('evaluator', `'${evaluatorFactory.name}' evaluates the space(s) ${evaluatorFactory.spaces.join(', ')}, not '${spaceFactory.name}'`);
  }
  const space = await create('search space', spaceFactory.name, () => spaceFactory.create(config.space.options));
  const strategy = await create('strategy', strategyFactory.name, () => strategyFactory.create({ space, rng: Rng.fromSeed(config.seed), seed: config.seed }, config.strategy.options));
  checkJson(await create('strategy', strategyFactory.name, () => strategy.state()), `strategy '${strategyFactory.name}': its state()`);
  const evaluator = await create('evaluator', evaluatorFactory.name, () => evaluatorFactory.create(config.evaluator.options, space));
  const reward = new RewardExpression(config.reward ?? evaluator.primaryMetric, evaluator.metrics);
  // The scheduler's own random stream, so that adding one leaves the strategy's draws unchanged.
  const scheduler =
    schedulerFactory &&
    (await create('scheduler', schedulerFactory.name, () =>
      schedulerFactory.create({ fidelity: evaluator.fidelity, evaluator: evaluatorFactory.name, rng: Rng.fromSeed(`${config.seed}:scheduler`) }, (config.scheduler as ComponentConfig).options),
    ));
  const executor = makeExecutor ? makeExecutor(evaluator) : createExecutor(config, evaluator);
  return { space, strategy, evaluator, reward, executor, ...(scheduler ? { scheduler } : {}) };
}

/** Per-invocation engine behaviour that is not part of the stored config. */
export type RunBehaviour = Partial<Pick<EngineOptions, 'cancelOnStop'>>;

/**
 * The run's container: a child of `parent` holding the parts under the engine's tokens, except those
 * `parent` already provides, so an embedder or a test overrides one component by registering its
 * token there (the built part is then unused, but still released by runSearch).
 */
export function runContainer(parts: RunParts, store: ExperimentStore, config: RunConfig, parent: DependencyContainer = rootContainer, behaviour: RunBehaviour = {}): DependencyContainer {
  const c = parent.createChildContainer();
  const provide = (token: symbol, value: unknown): void => {
    if (value !== undefined && !parent.isRegistered(token, true)) c.register(token, { useValue: value });
  };
  provide(TOKENS.Space, parts.space);
  provide(TOKENS.Strategy, parts.strategy);
  provide(TOKENS.Executor, parts.executor);
  provide(TOKENS.Reward, parts.reward);
  provide(TOKENS.Store, store);
  provide(TOKENS.Scheduler, parts.scheduler);
  provide(
    TOKENS.EngineOptions,
    engineOptions({
      seed: config.seed,
      maxEvaluations: config.budget.evaluations ?? Infinity,
      maxSeconds: config.budget.seconds ?? Infinity,
      ...(config.budget.trials !== undefined ? { maxTrials: config.budget.trials } : {}),
      checkpointEvery: config.checkpointEvery,
      ...behaviour,
    }),
  );
  return c;
}

/** The engine of a run container: the multi-fidelity one when a scheduler is registered. */
export function resolveEngine(c: DependencyContainer): SearchEngine {
  return c.resolve(c.isRegistered(TOKENS.Scheduler, true) ? MultiFidelityEngine : SearchEngine);
}

/** Registers the parts under the engine's tokens (see runContainer) and resolves the engine. */
export function composeEngine(parts: RunParts, store: ExperimentStore, config: RunConfig, parent: DependencyContainer = rootContainer, behaviour: RunBehaviour = {}): SearchEngine {
  return resolveEngine(runContainer(parts, store, config, parent, behaviour));
}
