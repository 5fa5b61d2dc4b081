/** The public API of tsnas: what plugins and library users import. */
export * from './core/choices.js';
export * from './core/dataset.js';
export * from './core/errors.js';
export type * from './core/evaluator.js';
export type * from './core/executor.js';
export type * from './core/fidelity.js';
export type * from './core/json.js';
export * from './core/options.js';
export * from './core/rng.js';
export type * from './core/scheduler.js';
export * from './core/space.js';
export * from './core/state-reader.js';
export type * from './core/store.js';
export type * from './core/strategy.js';
export * from './core/registry.js';
export type * from './core/trial.js';
export * from './engine/attach-config.js';
export * from './engine/best-trial.js';
export * from './engine/config.js';
export * from './engine/multi-fidelity-engine.js';
export * from './engine/options.js';
export * from './engine/search-engine.js';
export * from './engine/tokens.js';
export { RewardExpression } from './engine/reward.js';
export { registerBuiltins } from './wiring/builtins.js';
export * from './wiring/container.js';
export { registerEvaluationBuiltins } from './wiring/evaluation-builtins.js';
export * from './wiring/plugins.js';
export * from './wiring/run-search.js';
export { Nb201Evaluator, nb201EvaluatorFactory } from './evaluators/tabular/nb201-evaluator.js';
export { NB201_ENV, loadNb201Table, resolveTablePath } from './evaluators/tabular/nb201-table.js';
export { InlineExecutor } from './exec/inline-executor.js';
export * from './spaces/nasbench201/space.js';
export * from './spaces/nasfpn/index.js';
export {
  DARTS_OPS, DEFAULT_NASNET_CONFIG, isNasNetSpace, NASNET_A, NASNET_OPS, nasNetSpaceFactory, NasNetSpace, outputStates, RESNET_LIKE,
  type Combine, type NasNetBlock, type NasNetCell, type NasNetGenotype, type NasNetOp, type NasNetSpaceConfig,
} from './spaces/nasnet/index.js';
export { classificationBatches, type ClassificationBatch, type ClassificationBatchOptions } from './data/classification-batches.js';
export { MemoryStore } from './store/memory-store.js';
export { RunsFolder } from './store/runs-folder.js';
export { SqliteStore } from './store/sqlite-store.js';
export { exportTrial, type ExportOptions, type ExportResult } from './export/export-trial.js';
export { loadModel, type LoadedModel } from './export/load-model.js';
export { predictImages, type ImagePrediction } from './export/predict.js';
export { readImage, toGrayInput } from './export/image-io.js';
export { writeExperimentReport } from './report/write-report.js';
export { loadRegistries } from './wiring/registries.js';
