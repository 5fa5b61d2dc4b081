// `tsnas/train`: the training loop every built-in proxy uses (learning-rate schedule, divergence
// checks, state kept between multi-fidelity rungs, cancellation) and the metrics it reports.
export {
  DivergenceError, learningRateAt, requestHooks, runCostMetrics, runTraining,
  type RunRequest, type TrainLoop, type TrainOutcome, type TrainSchedule,
} from '../train/trainer.js';
