import { swarmWorkloads } from './swarm-service.js';
import type { Resource, Workload } from './types.js';
import { kubernetesWorkload } from './kubernetes-workload.js';

/** Every workload a resource defines: one for a pod-bearing Kubernetes object, one per service of a stack. */
export function workloadsOf(resource: Resource): Workload[] {
  if (resource.platform === 'kubernetes') {
    const w = kubernetesWorkload(resource);
    return w ? [w] : [];
  }
  return swarmWorkloads(resource);
}
