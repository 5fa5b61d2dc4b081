import { TsnasError } from '../core/errors.js';
import type { Registries } from '../core/registry.js';

// A plugin's factories are checked by the registry when they are added; what their create() returns is
// only known when a run builds it. Wrapping the factories a plugin added means a strategy written
// against another contract (propose/feedback) fails at once, naming the plugin and the member, instead
// of with `this.strategy.ask is not a function` somewhere in the engine.

interface Contract {
  /** Methods every instance has. */
  readonly methods: readonly string[];
  /** Number or string properties every instance has. */
  readonly fields?: readonly string[];
  /** create() may return null (a scheduler that does not apply). */
  readonly nullable?: boolean;
}

const CONTRACTS = {
  spaces: { methods: ['decision', 'decode', 'encode', 'validate', 'canonical', 'parse'], fields: ['id', 'length', 'maxCandidates'] },
  strategies: { methods: ['ask', 'tell', 'state', 'restore'] },
  evaluators: { methods: ['evaluate'], fields: ['primaryMetric'] },
  schedulers: { methods: ['next', 'started', 'report', 'state', 'restore'], nullable: true },
  datasets: { methods: ['size', 'read'], fields: ['kind'] },
} as const satisfies Record<string, Contract>;

type Kind = keyof typeof CONTRACTS;
type Factory = { readonly name: string; create(...args: unknown[]): unknown };

/** The entries of each checked kind, to tell afterwards which ones a plugin added or replaced. */
export function snapshotEntries(registries: Registries): Map<Kind, Set<unknown>> {
  return new Map((Object.keys(CONTRACTS) as Kind[]).map((k) => [k, new Set<unknown>(registries[k].list())]));
}

/** Replaces each factory the plugin added since `before` with one whose create() checks what it returns. */
export function checkAddedFactories(plugin: string, registries: Registries, before: Map<Kind, Set<unknown>>): void {
  for (const kind of Object.keys(CONTRACTS) as Kind[]) {
    const registry = registries[kind] as unknown as { kind: string; list(): Factory[]; add(entry: Factory, replace: boolean): void };
    for (const factory of registry.list()) {
      if (before.get(kind)?.has(factory)) continue;
      const where = `plugin '${plugin}': ${registry.kind} '${factory.name}'`;
      const check = (made: unknown) => checkInstance(where, CONTRACTS[kind], made);
      // Keeps the factory's prototype (a class instance's methods) and a synchronous create() synchronous.
      const wrapped = Object.assign(Object.create(factory) as Factory, {
        create: (...args: unknown[]) => {
          const made = factory.create(...args);
          return isThenable(made) ? made.then(check) : check(made);
        },
      });
      registry.add(wrapped, true);
    }
  }
}

const isThenable = (x: unknown): x is Promise<unknown> => typeof (x as { then?: unknown } | null)?.then === 'function';

function checkInstance(where: string, contract: Contract, made: unknown): unknown {
  if (made === null && contract.nullable) return made;
  if (typeof made !== 'object' || made === null) throw new TsnasError(`${where}: create() returned ${made === null ? 'null' : typeof made}, not an object`);
  const o = made as Record<string, unknown>;
  const missing = contract.methods.filter((m) => typeof o[m] !== 'function');
  if (missing.length) {
    const has = methodNames(o).filter((m) => !contract.methods.includes(m));
    const plural = missing.length > 1 ? 's' : '';
    throw new TsnasError(`${where}: the object create() returns has no ${missing.map((m) => `${m}()`).join(', ')} method${plural} (needs ${contract.methods.join(', ')}${has.length ? `; it has ${has.join(', ')}` : ''})`);
  }
  const absent = (contract.fields ?? []).filter((f) => typeof o[f] !== 'number' && typeof o[f] !== 'string');
  if (absent.length) throw new TsnasError(`${where}: the object create() returns has no ${absent.join(', ')} property`);
  return made;
}

/** Own and inherited method names of an object (a class instance's are on its prototypes). */
function methodNames(o: object): string[] {
  const names = new Set<string>();
  for (let p: object | null = o; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const n of Object.getOwnPropertyNames(p)) if (n !== 'constructor' && typeof (o as Record<string, unknown>)[n] === 'function') names.add(n);
  }
  return [...names];
}
