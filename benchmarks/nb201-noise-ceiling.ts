/**
 * What any search can return on a noisy NAS-Bench-201 table. The engine returns the evaluated
 * architecture with the highest (noisy) reward; this computes the mean test accuracy of that pick
 * if a search had evaluated exactly the M architectures with the highest true validation accuracy
 * (M = 1: it found the best and nothing near it), with the evaluator's own noise, over many draws.
 * A strategy whose mean is at this ceiling cannot be beaten by a better search, only by fewer
 * near-best competitors for the noisy maximum.
 *
 *   node dist/benchmarks/nb201-noise-ceiling.js [--noise 0,0.2,0.5] [--draws 4000]
 */
import { rewardNoise } from '../src/evaluators/tabular/nb201-evaluator.js';
import { loadNb201Table, NB201_DATASETS, resolveTablePath } from '../src/evaluators/tabular/nb201-table.js';
import { benchmarkCommand, int, numList, parseBenchmark } from './lib/command.js';

const o = parseBenchmark<{ noise: number[]; draws: number }>(
  benchmarkCommand('nb201-noise-ceiling', 'mean test accuracy of the noisy best-reward pick among the top M architectures of each NAS-Bench-201 table')
    .option('--noise <list>', 'noise levels (std of the validation-accuracy noise)', numList(0), [0, 0.2, 0.5])
    .option('--draws <n>', 'noise draws per cell', int(1), 4000),
);
const SIZES = [1, 5, 20, 150, 500];

const draws = o.draws;
console.log(`| table | noise | ${SIZES.map((m) => `top ${m}`).join(' | ')} |`);
console.log(`|---|---|${SIZES.map(() => '---').join('|')}|`);
for (const dataset of NB201_DATASETS) {
  const rows = [...loadNb201Table(resolveTablePath(dataset, undefined))].sort((a, b) => b[1].validAcc - a[1].validAcc);
  for (const noise of o.noise) {
    const cells = SIZES.map((m) => {
      let sum = 0;
      for (let d = 0; d < draws; d++) {
        let best = rows[0] as (typeof rows)[number];
        let bestReward = -Infinity;
        for (const row of rows.slice(0, m)) {
          const reward = row[1].validAcc + noise * rewardNoise(d, row[0]);
          if (reward > bestReward) [best, bestReward] = [row, reward];
        }
        sum += best[1].testAcc;
      }
      return (sum / draws).toFixed(2);
    });
    console.log(`| ${dataset} | ${noise} | ${cells.join(' | ')} |`);
  }
}
