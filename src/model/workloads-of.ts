import { swarmWorkloads } from './swarm-service.js';
import type { KubernetesWorkload, Resource, Workload } from './types.js';
import { kubernetesWorkload } from './kubernetes-workload.js';

/** Every workload a resource defines: one for a pod-bearing Kubernetes object, one per service of a stack. */
export function workloadsOf(resource: Resource): Workload[] {
  if (resource.platform === 'kubernetes') {
    const w = kubernetesWorkload(resource);
    return w ? [w] : [];
  }
  return swarmWorkloads(resource);
}

/** The Kubernetes workloads among some (a reference by kind and name can only mean those). */
export function kubernetesOnly(ws: readonly Workload[]): KubernetesWorkload[] {
  return ws.filter((w): w is KubernetesWorkload => w.platform === 'kubernetes');
}
