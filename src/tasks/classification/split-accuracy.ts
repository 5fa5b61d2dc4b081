import type { ClassificationData, DataSplit } from '../../core/dataset.js';
import { classificationBatches, type ClassificationBatch } from '../../data/classification-batches.js';

/**
 * Top-1 accuracy in percent of `predict` (a batch -> its predicted classes) over the first `count`
 * examples of a split, in the dataset's fixed order; 0 for an empty split.
 */
export function splitAccuracy(data: ClassificationData, split: DataSplit, count: number, predict: (batch: ClassificationBatch) => ArrayLike<number>, batchSize = 100): number {
  let right = 0;
  let seen = 0;
  for (const batch of classificationBatches(data, split, batchSize, { count })) {
    const predicted = predict(batch);
    if (predicted.length !== batch.labels.length) throw new RangeError(`predict returned ${predicted.length} classes for a batch of ${batch.labels.length}`);
    for (let i = 0; i < predicted.length; i++) if (predicted[i] === batch.labels[i]) right++;
    seen += predicted.length;
  }
  return seen === 0 ? 0 : (100 * right) / seen;
}
