// `tsnas/nn`: seeded parameters and the layers tsnas's networks are built of (each counts its FLOPs),
// and the reusable builders of the NASNet classifier and the NAS-FPN detector.
export { ParamStore } from '../nn/params.js';
export { applyBnUpdates, batchNorm, BN_MOMENTUM, conv, convBn, newCtx, type Ctx } from '../nn/layers.js';
export { maxPool, upsampleNearest } from '../nn/resample.js';
export { convNd, dense, depthwise, reluConvBn, reluSepConvBn, type ConvShape } from '../nn/conv.js';
export { dilateFilter } from '../nn/dilate.js';
export { factorizedReduction } from '../nn/reduce.js';
export { buildCell } from '../architectures/nasnet/cell.js';
export { applyOp } from '../architectures/nasnet/ops.js';
export { NasNetClassifier, type NasNetNetConfig } from '../tasks/classification/nasnet-classifier.js';
export { backbone, DEFAULT_BACKBONE_WIDTHS } from '../tasks/detection/backbone.js';
export { retinaHead, type HeadConfig } from '../tasks/detection/head.js';
