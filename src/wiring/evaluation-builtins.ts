import type { Registries } from '../core/registry.js';
import { DETECTION_DATASETS } from '../data/detection-datasets.js';
import { imageFolderDatasetFactory } from '../data/image-folder.js';
import { fashionMnistDatasetFactory, mnistDatasetFactory } from '../data/mnist-datasets.js';
import { classificationProxyFactory } from '../evaluators/classification/classification-evaluator.js';
import { detectionProxyFactoryOver } from '../evaluators/proxy/detection-evaluator.js';
import { nb201EvaluatorFactory } from '../evaluators/tabular/nb201-evaluator.js';
import { nb201SpaceFactory } from '../spaces/nasbench201/factory.js';
import { nasFpnSpaceFactory } from '../spaces/nasfpn/factory.js';
import { nasNetSpaceFactory } from '../spaces/nasnet/factory.js';

/**
 * Registers what evaluating a trial needs: the built-in spaces and evaluators (which bring their
 * datasets). All a pool worker loads, so no worker pays for strategies, the controller or schedulers.
 */
export function registerEvaluationBuiltins(registries: Registries): Registries {
  registries.spaces.add(nb201SpaceFactory);
  registries.spaces.add(nasFpnSpaceFactory);
  registries.spaces.add(nasNetSpaceFactory);
  registries.evaluators.add(nb201EvaluatorFactory);
  registries.evaluators.add(detectionProxyFactoryOver(registries.datasets));
  registries.evaluators.add(classificationProxyFactory(registries.datasets));
  registries.datasets.add(mnistDatasetFactory);
  registries.datasets.add(fashionMnistDatasetFactory);
  registries.datasets.add(imageFolderDatasetFactory);
  for (const dataset of DETECTION_DATASETS) registries.datasets.add(dataset);
  return registries;
}
