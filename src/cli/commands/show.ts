import type { Command } from 'commander';
import { TsnasError } from '../../core/errors.js';
import { byFidelityThenReward, countsForBest } from '../../engine/best-trial.js';
import { RunsFolder } from '../../store/runs-folder.js';
import type { ReevaluationRecord } from '../../core/trial.js';
import { meanStd } from '../../engine/reevaluate.js';
import { intFlag } from '../kv.js';

/** Per re-evaluated candidate: runs, mean ± std of the reward and of every metric, best mean reward first. */
function reevaluationSummary(records: readonly ReevaluationRecord[], keyOf: (trial: number) => string) {
  const byTrial = new Map<number, ReevaluationRecord[]>();
  for (const r of records) byTrial.set(r.trial, [...(byTrial.get(r.trial) ?? []), r]);
  return [...byTrial.entries()]
    .map(([trial, runs]) => {
      const ok = runs.filter((r) => r.reward !== null && r.metrics !== null);
      const names = [...new Set(ok.flatMap((r) => Object.keys(r.metrics ?? {})))];
      return {
        trial,
        key: keyOf(trial),
        runs: runs.length,
        failed: runs.length - ok.length,
        reward: meanStd(ok.map((r) => r.reward as number)),
        metrics: Object.fromEntries(names.map((m) => [m, meanStd(ok.map((r) => r.metrics?.[m] as number))])),
      };
    })
    .sort((a, b) => (Number.isNaN(b.reward.mean) ? -1 : b.reward.mean - a.reward.mean));
}

export function registerShow(program: Command): void {
  program
    .command('show <experiment>')
    .description("show an experiment's config, best trial and trials (or one trial, with its rungs, with --trial)")
    .option('--runs-dir <dir>', 'folder of experiment stores', 'runs')
    .option('--trial <n>', 'show one trial in full')
    .option('--top <k>', 'how many best trials to list', '10')
    .option('--all', 'list every trial in order')
    .option('--json', 'print JSON')
    .action((name: string, flags: { runsDir: string; trial?: string; top: string; all?: boolean; json?: boolean }) => {
      const store = new RunsFolder(flags.runsDir).read(name);
      try {
        const out = (v: unknown) => process.stdout.write(JSON.stringify(v, null, 2) + '\n');
        if (flags.trial !== undefined) {
          const n = intFlag('--trial', flags.trial) as number;
          const t = store.trial(n);
          if (!t) throw new TsnasError(`experiment '${name}' has no trial ${n}`);
          const rungs = store.rungs(n);
          out(rungs.length > 0 ? { ...t, rungs } : t);
          return;
        }
        const meta = store.meta();
        const trials = store.trials();
        // Multi-fidelity experiments rank by the best-trial rule (highest rung first), others as complete trials by reward.
        const multiFidelity = trials.some((t) => t.resource !== undefined);
        const ranked = trials.filter((t) => (multiFidelity ? countsForBest(t) : t.status === 'complete' && t.reward !== null)).sort(byFidelityThenReward);
        const statuses = ['complete', ...(multiFidelity ? ['stopped'] : []), 'cached', 'failed', 'running'];
        const counts = Object.fromEntries(statuses.map((s) => [s, trials.filter((t) => t.status === s).length]));
        const reevaluated = reevaluationSummary(store.reevaluations(), (n) => trials.find((t) => t.number === n)?.key ?? '?');
        if (flags.json) {
          out({ meta, counts, best: ranked[0] ?? null, reevaluated, returned: reevaluated[0] ?? null, trials: flags.all ? trials : ranked.slice(0, intFlag('--top', flags.top)) });
          return;
        }
        process.stdout.write(`experiment ${meta?.name} created ${meta ? new Date(meta.createdAt).toISOString() : '?'}\n`);
        process.stdout.write(`config ${JSON.stringify(meta?.config)}\n`);
        process.stdout.write(`trials ${trials.length}: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}\n`);
        const row = (t: (typeof trials)[number]) => ({
          trial: t.number,
          status: t.status,
          ...(multiFidelity ? { fidelity: t.resource ?? '' } : {}),
          reward: t.reward,
          key: t.key,
          ...(t.metrics ?? {}),
          error: t.error ?? '',
        });
        console.table((flags.all ? trials : ranked.slice(0, intFlag('--top', flags.top))).map(row));
        if (reevaluated.length > 0) {
          // The search reward is one run at the fidelity the trial reached; these are the top-k retrained over fresh seeds.
          const pm = (s: { mean: number; std: number }) => `${s.mean.toFixed(4)} ± ${s.std.toFixed(4)}`;
          process.stdout.write(`top-k re-evaluation at the top fidelity (mean ± std over seeds); the search returns trial ${reevaluated[0]!.trial}\n`);
          console.table(
            reevaluated.map((c) => ({
              trial: c.trial,
              runs: c.runs,
              'search reward': trials.find((t) => t.number === c.trial)?.reward ?? null,
              reward: pm(c.reward),
              ...Object.fromEntries(Object.entries(c.metrics).filter(([m]) => m.startsWith('test')).map(([m, v]) => [m, pm(v)])),
              key: c.key,
            })),
          );
        }
      } finally {
        store.close();
      }
    });
}
