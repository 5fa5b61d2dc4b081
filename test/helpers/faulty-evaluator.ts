import { isMainThread, threadId } from 'node:worker_threads';
import type { EvaluationRequest, Evaluator, EvaluatorFactory, Metrics } from '../../src/core/evaluator.js';
import { ConfigError } from '../../src/core/errors.js';
import { resolveOptions } from '../../src/core/options.js';
import { toyEvaluatorFactory } from './toy-components.js';

/** What the faulty evaluator does for a trial instead of evaluating it. */
export const FAULTS = ['throw', 'exit', 'oom', 'hang', 'crash', 'nan', 'object'] as const;
export type Fault = (typeof FAULTS)[number];

/** Faults that take their thread down or never return: only a worker may run them. */
const WORKER_ONLY: readonly Fault[] = ['exit', 'oom', 'hang', 'crash'];

/** Parses `"3:throw,5:exit"` (trial number: fault). */
export function parseFaults(spec: string | undefined): Map<number, Fault> {
  const out = new Map<number, Fault>();
  for (const part of (spec ?? '').split(',').filter((p) => p.trim() !== '')) {
    const [trial, fault] = part.split(':').map((x) => x.trim());
    if (!/^\d+$/.test(trial ?? '') || !FAULTS.includes(fault as Fault)) throw new ConfigError('evaluator.faults', `expected trial:fault with fault in ${FAULTS.join('|')}, got '${part}'`);
    out.set(Number(trial), fault as Fault);
  }
  return out;
}

/** The toy evaluator, except on the trials named in `faults`, where it misbehaves as told. */
class FaultyEvaluator implements Evaluator<number[]> {
  readonly metrics: readonly string[];
  readonly primaryMetric: string;
  private calls = 0;

  constructor(
    private readonly inner: Evaluator<number[]>,
    private readonly faults: Map<number, Fault>,
    private readonly sleepMs: number,
    private readonly trace: boolean,
  ) {
    this.metrics = trace ? [...inner.metrics, 'calls', 'thread'] : inner.metrics;
    this.primaryMetric = inner.primaryMetric;
  }

  async evaluate(req: EvaluationRequest<number[]>): Promise<Metrics> {
    const metrics = await this.misbehave(req);
    // calls counts evaluations by this instance: it shows whether a worker reused its evaluator.
    return this.trace ? { ...metrics, calls: ++this.calls, thread: threadId } : metrics;
  }

  private async misbehave(req: EvaluationRequest<number[]>): Promise<Metrics> {
    if (this.sleepMs > 0) await new Promise((r) => setTimeout(r, this.sleepMs));
    const fault = this.faults.get(req.trial);
    if (fault && WORKER_ONLY.includes(fault) && isMainThread) throw new Error(`fault '${fault}' only runs in a worker thread`);
    switch (fault) {
      case 'throw':
        throw new Error(`injected failure in trial ${req.trial}`);
      case 'exit':
        process.exit(1);
        break;
      case 'oom': {
        const hog: number[][] = [];
        for (;;) hog.push(new Array<number>(1e5).fill(req.trial + 0.5));
      }
      case 'hang':
        // Busy, not merely waiting: only terminating the thread stops it.
        while (Date.now() > 0) Math.random();
        throw new Error('unreachable');
      case 'crash':
        // Thrown outside the task's promise: an uncaught exception that kills the worker.
        setTimeout(() => {
          throw new Error(`uncaught failure in trial ${req.trial}`);
        });
        return new Promise<Metrics>(() => undefined);
      case 'nan':
        return { ...(await this.inner.evaluate(req)), score: NaN };
      case 'object':
        // Not an Error: what it was must still be readable in the trial record.
        throw { code: 7, reason: `odd failure in trial ${req.trial}` } as unknown as Error;
      default:
        return this.inner.evaluate(req);
    }
  }
}

export const faultyEvaluatorFactory: EvaluatorFactory = {
  name: 'faulty',
  description: 'toy evaluator that fails chosen trials in chosen ways (tests of fault tolerance)',
  spaces: ['toy'],
  options: {
    faults: { type: 'optional-string', help: `trial:fault pairs, e.g. 3:throw,5:exit; faults: ${FAULTS.join(', ')}` },
    sleepMs: { type: 'number', default: 0, min: 0, help: 'fixed wait before each evaluation' },
    trace: { type: 'boolean', default: false, help: 'add metrics calls (evaluations by this instance) and thread (its threadId)' },
    setupHang: { type: 'boolean', default: false, help: "in a worker thread, never finish building the evaluator (a hung worker setup)" },
  },
  async create(options, space) {
    const o = resolveOptions('evaluator', this.options, options);
    if (o.setupHang && !isMainThread) while (Date.now() > 0) Math.random();
    const inner = (await toyEvaluatorFactory.create({}, space)) as Evaluator<number[]>;
    return new FaultyEvaluator(inner, parseFaults(o.faults as string | undefined), o.sleepMs as number, o.trace as boolean);
  },
};
