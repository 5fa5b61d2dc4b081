export { BACKEND_CHOICES, initBackend } from './backend.js';
export type { BackendChoice, BackendInfo } from './backend.js';
export { registerCoreGradients } from './gradients.js';
export { registerTrainingKernels } from './kernels/index.js';
export type { RegisteredKernels, RegisterOptions } from './kernels/index.js';
export { batchNormTrain, hasFusedBatchNorm } from './batch-norm.js';
export { nativeKernels, registerNativeKernels } from './native/index.js';
export { adam, FusedAdamOptimizer } from './adam.js';
export { hasFusedFocalLoss, sigmoidFocalLossSum } from './focal-loss.js';
