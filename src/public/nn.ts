// `tsnas/nn`: seeded parameters and the layers tsnas's networks are built of (each counts its FLOPs),
// and the reusable builders of the NASNet classifier and the NAS-FPN detector.
export { ParamStore } from '../model/params.js';
export { applyBnUpdates, batchNorm, BN_MOMENTUM, conv, convBn, maxPool, newCtx, upsampleNearest, type Ctx } from '../model/layers.js';
export { convNd, dense, depthwise, reluConvBn, reluSepConvBn, type ConvShape } from '../nn/conv.js';
export { dilateFilter } from '../nn/dilate.js';
export { factorizedReduction } from '../nn/reduce.js';
export { NasNetClassifier, type NasNetNetConfig } from '../architectures/nasnet/network.js';
export { buildCell } from '../architectures/nasnet/cell.js';
export { applyOp } from '../architectures/nasnet/ops.js';
export { backbone, DEFAULT_BACKBONE_WIDTHS } from '../model/backbone.js';
export { retinaHead, type HeadConfig } from '../model/head.js';
