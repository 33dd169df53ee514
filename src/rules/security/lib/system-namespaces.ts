/** Namespaces of the cluster's own node agents (CNI, kube-proxy, CSI drivers), which need node access by design. */
export const SYSTEM_NAMESPACES = ['kube-system'];

export interface SystemNamespaceOptions {
  ignoreNamespaces: string[];
}

export const systemNamespaceOption = {
  type: 'array',
  items: { type: 'string' },
  description: 'Namespaces whose workloads are not checked: cluster components that need node access by design.',
} as const;
