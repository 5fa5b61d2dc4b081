import type * as tf from '@tensorflow/tfjs-core';
import { DataError, TsnasError } from '../core/errors.js';
import type { SearchSpace } from '../core/space.js';
import type { Detection } from '../metrics/index.js';
import type { DetectorConfig } from '../model/detector.js';
import type { NasFpnGenotype } from '../spaces/nasfpn/genotype.js';
import { initBackend, type BackendChoice } from '../tensor/index.js';
import type { RegistriesLoader } from '../engine/experiment-components.js';
import { detect, detectorOutputs, DETECTOR_KIND, rebuildDetector } from '../model/detector-io.js';
import type { ModelManifest } from './manifest.js';
import { readManifest, readModelDir } from './model-dir.js';

/** An exported network, rebuilt with its trained weights. */
export interface LoadedModel {
  readonly dir: string;
  readonly manifest: ModelManifest;
  readonly kind: string;
  /** Raw outputs of a batch of `n` images of the manifest's data shape (NHWC), each output flattened. */
  outputs(images: Float32Array, n: number): Record<string, Float32Array>;
  /** Detections of one image (detectors). */
  detect?(image: Float32Array): Detection[];
  dispose(): void;
}

type Builder = (space: SearchSpace, manifest: ModelManifest, weights: ReadonlyMap<string, tf.Tensor>, dir: string) => LoadedModel;

/** How each model kind is rebuilt; a space whose networks are another kind (a classifier) adds its builder here. */
const BUILDERS: Record<string, Builder> = {
  [DETECTOR_KIND]: (space, manifest, weights, dir) => {
    const genotype = space.validate(manifest.modelTopology.genotype) as NasFpnGenotype;
    const det = rebuildDetector(genotype, manifest.modelTopology.config as unknown as DetectorConfig, weights, `model folder '${dir}'`);
    return {
      dir,
      manifest,
      kind: DETECTOR_KIND,
      outputs: (images, n) => detectorOutputs(det, images, n),
      detect: (image) => detect(det, image),
      dispose: () => det.dispose(),
    };
  },
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
    if (!build) throw new DataError(`model folder '${dir}': unknown model kind '${topo.kind}'; known: ${Object.keys(BUILDERS).join(', ')}`);
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
