import type { SpaceFactory } from '../../core/space.js';
import { resolveOptions } from '../../core/options.js';
import { NasBench201Space } from './space.js';

export const nb201SpaceFactory: SpaceFactory = {
  name: 'nasbench201',
  description: 'NAS-Bench-201 cell: 6 edges x 5 ops (15,625 architectures)',
  options: {},
  create(options) {
    resolveOptions('space', {}, options);
    return new NasBench201Space();
  },
};
