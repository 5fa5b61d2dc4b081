/**
 * The NAS-FPN benchmarks' training runs (nasfpn-proxy, nasfpn-search): candidate runs
 * (benchmarks/lib/candidate-runs.ts) of pyramids on the detection proxy, grouped by cell count.
 */
import { NASFPN_OPS, NasFpnSpace, type NasFpnGenotype } from '../../src/spaces/nasfpn/index.js';
import { CandidateRuns, type CandidateJob, type CandidateRunsOptions, type CandidateSpace } from './candidate-runs.js';

export type PyramidJob = CandidateJob<NasFpnGenotype>;

/** Every op is allowed, so one space per cell count validates the named pyramids and any other alike. */
const spaceFor = (cells: number): NasFpnSpace => new NasFpnSpace({ ...new NasFpnSpace().config, cells, ops: NASFPN_OPS });

const PYRAMIDS: CandidateSpace<NasFpnGenotype> = {
  group: (g) => g.cells.length,
  space: (cells) => ({ name: 'nasfpn', options: { cells, ops: NASFPN_OPS.join(',') } }),
  validate: (g) => spaceFor(g.cells.length).validate(g),
  key: (g) => spaceFor(g.cells.length).canonical(g),
  describe: (m) => `AP ${m.ap?.toFixed(4)} test ${m.test_ap?.toFixed(4)}`,
};

export class PyramidRuns extends CandidateRuns<NasFpnGenotype> {
  constructor(o: Omit<CandidateRunsOptions<NasFpnGenotype>, 'space' | 'evaluator'>) {
    super({ ...o, space: PYRAMIDS, evaluator: 'detection-proxy' });
  }
}
