import type { DatasetFactory } from './dataset.js';
import { TsnasError, UnknownComponentError } from './errors.js';
import type { EvaluatorFactory } from './evaluator.js';
import type { SpaceFactory } from './space.js';
import type { SchedulerFactory } from './scheduler.js';
import type { StrategyFactory } from './strategy.js';

/** Named components of one kind. */
export class Registry<T extends { readonly name: string }> {
  private readonly entries = new Map<string, T>();

  constructor(readonly kind: string) {}

  /** Adds an entry; a second entry with the same name is an error unless `replace` is set. */
  add(entry: T, replace = false): void {
    // Plugins add entries at run time: check the shape here, not when a search first calls them.
    const e = entry as unknown as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null) throw new TsnasError(`a ${this.kind} entry must be an object, got ${e === null ? 'null' : typeof e}`);
    if (typeof e.name !== 'string') throw new TsnasError(`a ${this.kind} entry has no name`);
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(entry.name)) throw new TsnasError(`${this.kind} name '${entry.name}' must be alphanumeric (with . _ -)`);
    if (typeof e.create !== 'function') throw new TsnasError(`${this.kind} '${entry.name}' has no create() function`);
    if (typeof e.options !== 'object' || e.options === null || Array.isArray(e.options)) throw new TsnasError(`${this.kind} '${entry.name}' has no options object (give {} for none)`);
    if (this.entries.has(entry.name) && !replace) throw new TsnasError(`${this.kind} '${entry.name}' is already registered`);
    this.entries.set(entry.name, entry);
  }

  get(name: string): T {
    const entry = this.entries.get(name);
    if (!entry) throw new UnknownComponentError(this.kind, name, this.names());
    return entry;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  list(): T[] {
    return this.names().map((n) => this.entries.get(n) as T);
  }
}

/** Every kind of pluggable component. A plugin's `register(registries)` adds to these. */
export class Registries {
  readonly spaces = new Registry<SpaceFactory>('search space');
  readonly strategies = new Registry<StrategyFactory>('strategy');
  readonly evaluators = new Registry<EvaluatorFactory>('evaluator');
  readonly schedulers = new Registry<SchedulerFactory>('scheduler');
  /** Data an evaluator trains on, chosen by its `dataset` option. */
  readonly datasets = new Registry<DatasetFactory>('dataset');
}

/** What a plugin module exports (as `register` or as its default export). */
export type PluginRegister = (registries: Registries) => void | Promise<void>;
