import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { checkJson } from '../core/check-json.js';
import { describeError } from '../core/describe-error.js';
import { ConfigError, StoreError, TsnasError } from '../core/errors.js';
import type { Evaluator } from '../core/evaluator.js';
import type { Executor } from '../core/executor.js';
import type { JsonValue } from '../core/json.js';
import { Rng } from '../core/rng.js';
import type { Scheduler } from '../core/scheduler.js';
import type { SearchSpace } from '../core/space.js';
import type { ExperimentMeta, ExperimentStore } from '../core/store.js';
import type { Strategy } from '../core/strategy.js';
import { RewardExpression } from '../evaluators/reward.js';
import { createExecutor } from '../exec/create-executor.js';
import { identityOf, type ComponentConfig, type RunConfig } from './config.js';
import { MultiFidelityEngine } from './multi-fidelity-engine.js';
import { engineOptions, type EngineOptions } from './options.js';
import type { Registries } from './registry.js';
import { SearchEngine } from './search-engine.js';
import { TOKENS } from './tokens.js';

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
    if (e instanceof TsnasError) throw e;
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

/** Registers the parts under the engine's tokens in a child container and resolves the engine. */
export function composeEngine(parts: RunParts, store: ExperimentStore, config: RunConfig, parent: DependencyContainer = rootContainer, behaviour: RunBehaviour = {}): SearchEngine {
  const c = parent.createChildContainer();
  c.register(TOKENS.Space, { useValue: parts.space });
  c.register(TOKENS.Strategy, { useValue: parts.strategy });
  c.register(TOKENS.Evaluator, { useValue: parts.evaluator });
  c.register(TOKENS.Executor, { useValue: parts.executor });
  c.register(TOKENS.Reward, { useValue: parts.reward });
  c.register(TOKENS.Store, { useValue: store });
  if (parts.scheduler) c.register(TOKENS.Scheduler, { useValue: parts.scheduler });
  c.register(TOKENS.EngineOptions, {
    useValue: engineOptions({
      seed: config.seed,
      maxEvaluations: config.budget.evaluations ?? Infinity,
      maxSeconds: config.budget.seconds ?? Infinity,
      ...(config.budget.trials !== undefined ? { maxTrials: config.budget.trials } : {}),
      checkpointEvery: config.checkpointEvery,
      ...behaviour,
    }),
  });
  return c.resolve(parts.scheduler ? MultiFidelityEngine : SearchEngine);
}

/** Refuses to continue a stored experiment with a config that differs in more than what a resume may change. */
export function checkSameExperiment(meta: ExperimentMeta, config: RunConfig): void {
  const stored = meta.config as unknown as RunConfig;
  if (identityOf(stored) !== identityOf(config)) {
    throw new StoreError(
      `experiment '${meta.name}' was run with another config; stored: ${identityOf(stored)}; requested: ${identityOf(config)}. ` +
        'Resume with the same options, or start a new experiment.',
    );
  }
}

/**
 * Ties a config to a store: a new store records it; a stored experiment must have been run with the
 * same config except the budget (which a resume may extend), otherwise it is refused untouched. The
 * updated config is written with the resumed run's first write, once it is known to be resumable.
 */
export function attachConfig(store: ExperimentStore, name: string, config: RunConfig): void {
  const meta = store.meta();
  if (!meta) {
    store.init({ name, createdAt: Date.now(), config: config as unknown as JsonValue });
    return;
  }
  checkSameExperiment(meta, config);
  store.updateConfig(config as unknown as JsonValue);
}
