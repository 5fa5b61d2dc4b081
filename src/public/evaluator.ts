// `tsnas/evaluator`: the contracts an evaluator, space or dataset plugin implements, the categorical
// space helper, and what checks a plugin's input (options, errors, choices). Loads no tensor code.
export type { EvaluationRequest, Evaluator, EvaluatorFactory, Metrics } from '../core/evaluator.js';
export type { FidelityRequest, FidelitySpec } from '../core/fidelity.js';
export type { JsonValue } from '../core/json.js';
export { isValidCandidate, validCandidates, type Decision, type DecisionSpace, type SearchSpace, type SpaceFactory } from '../core/space.js';
export { checkChoices, mutateChoices, repairChoices, sampleChoices } from '../core/choices.js';
export { Registries, Registry, type PluginRegister } from '../core/registry.js';
export { resolveOptions, type OptionSpec, type OptionSpecs, type OptionValues } from '../core/options.js';
export { ConfigError, DataError, GenotypeError, isTsnasError, TsnasError } from '../core/errors.js';
export { deriveSeed, Rng } from '../core/rng.js';
export * from '../spaces/categorical/space.js';
