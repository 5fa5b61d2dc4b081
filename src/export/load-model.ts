import type * as tf from '@tensorflow/tfjs-core';
import { DataError, TsnasError } from '../core/errors.js';
import type { SearchSpace } from '../core/space.js';
import type { Detection } from '../metrics/index.js';
import type { DetectorConfig } from '../tasks/detection/detector.js';
import type { ModelKind } from '../core/exportable.js';
import type { JsonValue } from '../core/json.js';
import { CLASSIFIER_KIND, classifierLogits, classProbabilities, rebuildClassifier } from '../tasks/classification/classifier-io.js';
import type { NasNetNetConfig } from '../tasks/classification/nasnet-classifier.js';
import { isNasFpnSpace } from '../spaces/nasfpn/space.js';
import { isNasNetSpace } from '../spaces/nasnet/space.js';
import { initBackend, type BackendChoice } from '../tensor/index.js';
import type { RegistriesLoader } from '../engine/experiment-components.js';
import { detect, detectorOutputs, DETECTOR_KIND, rebuildDetector } from '../tasks/detection/detector-io.js';
import type { ModelManifest } from './manifest.js';
import { readManifest, readModelDir } from './model-dir.js';

/** An exported network, rebuilt with its trained weights. */
export interface LoadedModel {
  readonly dir: string;
  readonly manifest: ModelManifest;
  readonly kind: ModelKind;
  /** Raw outputs of a batch of `n` images of the manifest's data shape (NHWC), each output flattened. */
  outputs(images: Float32Array, n: number): Record<string, Float32Array>;
  /** Detections of one image (detectors). */
  detect?(image: Float32Array): Detection[];
  /** Probabilities of each class, by label, for one image of the data shape (classifiers). */
  classify?(image: Float32Array): Float32Array;
  dispose(): void;
}

type Builder = (space: SearchSpace, manifest: ModelManifest, weights: ReadonlyMap<string, tf.Tensor>, dir: string) => LoadedModel;

/** How one model kind is rebuilt: the space its genotypes are of, the network, and what it offers. */
interface KindSpec<S extends SearchSpace, N extends { dispose(): void }> {
  readonly space: string;
  isSpace(space: unknown): space is S;
  rebuild(genotype: ReturnType<S['validate']>, config: JsonValue, weights: ReadonlyMap<string, tf.Tensor>, where: string): N;
  use(net: N): Pick<LoadedModel, 'outputs' | 'detect' | 'classify'>;
}

/** The builder of a kind; a manifest whose kind and space do not go together was edited, or written by another tool. */
function builder<S extends SearchSpace, N extends { dispose(): void }>(kind: ModelKind, spec: KindSpec<S, N>): Builder {
  return (space, manifest, weights, dir) => {
    if (!spec.isSpace(space)) throw new DataError(`model folder '${dir}': a ${kind} is built on the ${spec.space} space; its manifest names '${manifest.modelTopology.space.name}'`);
    const genotype = space.validate(manifest.modelTopology.genotype) as ReturnType<S['validate']>;
    const net = spec.rebuild(genotype, manifest.modelTopology.config, weights, `model folder '${dir}'`);
    return { dir, manifest, kind, ...spec.use(net), dispose: () => net.dispose() };
  };
}

/** How each model kind is rebuilt from its space, genotype, network config and weights. */
const BUILDERS: Record<ModelKind, Builder> = {
  [DETECTOR_KIND]: builder(DETECTOR_KIND, {
    space: 'nasfpn',
    isSpace: isNasFpnSpace,
    rebuild: (genotype, config, weights, where) => rebuildDetector(genotype, config as unknown as DetectorConfig, weights, where),
    use: (det) => ({ outputs: (images, n) => detectorOutputs(det, images, n), detect: (image) => detect(det, image) }),
  }),
  [CLASSIFIER_KIND]: builder(CLASSIFIER_KIND, {
    space: 'nasnet',
    isSpace: isNasNetSpace,
    rebuild: (genotype, config, weights, where) => rebuildClassifier(genotype, config as unknown as NasNetNetConfig, weights, where),
    use: (net) => ({ outputs: (images, n) => ({ logits: classifierLogits(net, images, n) }), classify: (image) => classProbabilities(net, image) }),
  }),
};

/**
 * Loads a folder written by `tsnas export`: checks the manifest's format and version, reads every shard,
 * rebuilds the network from the space, genotype and config, and loads the weights into it.
 */
export async function loadModel(dir: string, options: { readonly registries: RegistriesLoader; readonly backend?: BackendChoice }): Promise<LoadedModel> {
  readManifest(dir); // a folder that is no model fails before a backend is loaded
  await initBackend(options.backend ?? 'auto');
  const { manifest, weights } = readModelDir(dir);
  try {
    const topo = manifest.modelTopology;
    const build = BUILDERS[topo.kind];
    const registries = await options.registries(manifest.userDefinedMetadata.plugins ?? []);
    let space: SearchSpace;
    try {
      space = registries.spaces.get(topo.space.name).create(topo.space.options);
    } catch (e) {
      throw new DataError(`model folder '${dir}': cannot build its space '${topo.space.name}': ${(e as Error).message}`);
    }
    try {
      return build(space, manifest, weights, dir);
    } catch (e) {
      if (e instanceof DataError || !(e instanceof TsnasError)) throw e;
      throw new DataError(`model folder '${dir}': ${e.message}`);
    }
  } finally {
    for (const w of weights.values()) w.dispose();
  }
}
