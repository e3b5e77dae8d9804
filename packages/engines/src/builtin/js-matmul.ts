/** The `js` A B^T provider (every environment): core's plain-JS blocked kernel. */
import { blockedMatmulABt } from '@msae/core';
import type { MatmulRegistration } from '../matmul-provider.js';

export const jsMatmulRegistration: MatmulRegistration = {
  name: 'js',
  priority: 10,
  environments: ['browser', 'node'],
  description: "@msae/core's blockedMatmulABt: plain JS, 4x4 register blocking, single-threaded",
  availability: () => ({ available: true }),
  load: async () => blockedMatmulABt,
};
