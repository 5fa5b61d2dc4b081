import type { DatasetFactory } from '../core/dataset.js';
import { cocoDatasetFactory } from './coco.js';
import { glyphScenesDatasetFactory } from './glyph-scenes.js';

/** The built-in detection datasets: the synthetic scenes (detection-proxy's default) and COCO-format folders. */
export const DETECTION_DATASETS: readonly DatasetFactory[] = [glyphScenesDatasetFactory, cocoDatasetFactory];
