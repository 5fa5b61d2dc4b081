// Vega-Lite specs of the reports. Data is attached by name in the page (`datasets`), so one spec serves
// every experiment and the HTML carries each data set once.

type Spec = Record<string, unknown>;

const STATUS_SCALE = {
  domain: ['complete', 'stopped (pruned)', 'cached', 'failed'],
  range: ['#4e79a7', '#bab0ac', '#76b7b2', '#e15759'],
};
const STATUS_SHAPE = { domain: STATUS_SCALE.domain, range: ['circle', 'circle', 'diamond', 'cross'] };

const base = (title: string): Spec => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title,
  width: 'container',
  height: 260,
});

/** Every trial as a point (status by colour and shape; failed ones at the floor) and the best so far as a step line. */
export function progressSpec(x: 'evaluation' | 'seconds'): Spec {
  const xTitle = x === 'evaluation' ? 'evaluations' : 'wall time (s)';
  const best = x === 'evaluation' ? 'best' : 'bestByTime';
  return {
    ...base(`best so far against ${xTitle}`),
    data: { name: 'progress' },
    layer: [
      {
        mark: { type: 'line', interpolate: 'step-after', color: '#222' },
        transform: [{ filter: `datum.${best} != null` }],
        encoding: { x: { field: x, type: 'quantitative', title: xTitle }, y: { field: best, type: 'quantitative', title: 'reward' }, order: { field: x } },
      },
      {
        mark: { type: 'point', filled: true, size: 60, opacity: 0.85 },
        encoding: {
          x: { field: x, type: 'quantitative' },
          y: { field: 'reward', type: 'quantitative' },
          color: { field: 'status', type: 'nominal', scale: STATUS_SCALE, legend: { title: 'trial' } },
          shape: { field: 'status', type: 'nominal', scale: STATUS_SHAPE },
          tooltip: [{ field: 'trial' }, { field: 'status' }, { field: 'reward', format: '.4f' }, { field: 'resource', title: 'fidelity' }, { field: 'key' }, { field: 'error' }],
        },
      },
    ],
  };
}

/** Reward against the cost chosen in a drop-down, with the Pareto front (more reward for less cost) as a step line. */
export function costSpec(metrics: readonly string[]): Spec {
  return {
    ...base('reward against cost, with the Pareto front'),
    data: { name: 'cost' },
    params: [{ name: 'costMetric', value: metrics[0], bind: { input: 'select', options: metrics, name: 'cost: ' } }],
    transform: [{ filter: 'datum.metric == costMetric' }],
    layer: [
      {
        mark: { type: 'line', interpolate: 'step-after', color: '#e15759', strokeWidth: 2 },
        transform: [{ filter: 'datum.pareto' }],
        encoding: { x: { field: 'cost', type: 'quantitative', scale: { zero: false } }, y: { field: 'reward', type: 'quantitative' }, order: { field: 'cost' } },
      },
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x: { field: 'cost', type: 'quantitative', title: 'cost (the metric chosen below)', scale: { zero: false }, axis: { format: '~s' } },
          y: { field: 'reward', type: 'quantitative', title: 'reward' },
          color: { field: 'group', type: 'nominal', scale: { domain: ['Pareto front', 'top fidelity', 'stopped lower'], range: ['#e15759', '#4e79a7', '#cfcfcf'] }, legend: { title: null } },
          tooltip: [{ field: 'trial' }, { field: 'metric' }, { field: 'cost' }, { field: 'reward', format: '.4f' }, { field: 'resource', title: 'fidelity' }, { field: 'key' }],
        },
      },
    ],
  };
}

/** Multi-fidelity: each trial's reward at every rung it finished. */
export function rungSpec(): Spec {
  return {
    ...base("each trial's reward across its rungs"),
    data: { name: 'rungs' },
    mark: { type: 'line', point: true, opacity: 0.8 },
    encoding: {
      x: { field: 'resource', type: 'quantitative', scale: { type: 'log' }, title: 'resource (log scale)' },
      y: { field: 'reward', type: 'quantitative', title: 'reward' },
      detail: { field: 'trial', type: 'nominal' },
      color: { field: 'top', type: 'ordinal', title: 'highest rung', scale: { scheme: 'viridis' } },
      tooltip: [{ field: 'trial' }, { field: 'resource' }, { field: 'reward', format: '.4f' }],
    },
  };
}

/** Benchmarks: per strategy, the mean best-so-far at each checkpoint with its 95% confidence band. */
export function benchCurveSpec(metric: string): Spec {
  return {
    ...base(`${metric} of the best-by-reward architecture (mean over seeds, 95% CI)`),
    data: { name: 'curves' },
    layer: [
      {
        mark: { type: 'area', opacity: 0.2 },
        encoding: { x: { field: 'evaluations', type: 'quantitative' }, y: { field: 'ciLow', type: 'quantitative', scale: { zero: false }, title: metric }, y2: { field: 'ciHigh' }, color: { field: 'strategy', type: 'nominal' } },
      },
      {
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'evaluations', type: 'quantitative', title: 'evaluations' },
          y: { field: 'mean', type: 'quantitative' },
          color: { field: 'strategy', type: 'nominal' },
          tooltip: [{ field: 'strategy' }, { field: 'evaluations' }, { field: 'mean', format: '.3f' }, { field: 'ciLow', format: '.3f' }, { field: 'ciHigh', format: '.3f' }],
        },
      },
    ],
  };
}
