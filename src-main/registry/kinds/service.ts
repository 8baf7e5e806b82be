import type { Strategy } from '../strategies.ts';

/** ClusterIP and NodePort allocation are wired in once the address allocators land (net/addresses.ts). */
export const serviceStrategy: Strategy = {
  prepareForCreate(obj) {
    obj.status = { loadBalancer: {} };
  },
};
