import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/index.js';
import { requireShared } from './require.js';

const CORPUS = path.join(requireShared(), 'corpus');

/**
 * Every schema-invalid finding on the corpus is a real mistake in the published file: a cluster would reject the
 * object as it is written. `file:line` → why. Anything not listed here is a false alarm (a bug in shipshape).
 */
const GENUINE: Record<string, string> = {
  // sed-style placeholders (the README says to replace them before applying)
  'k8s/GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/gke-slurm/autopilot/pv-pvc.yaml:23':
    'storage: FILESTORE_CAPACITY placeholder',
  'k8s/GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/gke-slurm/autopilot/pv-pvc.yaml:40':
    'storage: FILESTORE_CAPACITY placeholder',
  'k8s/GoogleCloudPlatform__kubernetes-engine-samples/networking/sctp/sctp-deployment.yaml:33':
    'containerPort: PORT placeholder',
  'k8s/GoogleCloudPlatform__kubernetes-engine-samples/networking/sctp/sctp-deployment.yaml:45':
    'port: PORT placeholder',
  'k8s/GoogleCloudPlatform__kubernetes-engine-samples/databases/redis-enterprise-operator/manifests/01-basic-cluster/webhook.yaml:40':
    'caBundle: "CRT" placeholder is not base64',
  'k8s/kubernetes__examples/_archived/volumes/fibre_channel/fc.yaml:17': 'lun: "<ADD LUN ID Here>" placeholder',
  'k8s/jpetazzo__container.training/k8s/event-pod.yaml:1': 'involvedObject left with every field commented out',
  'k8s/jpetazzo__container.training/webhooks/admission/k8s/webhook-configuration.yaml:6':
    'clientConfig left with every field commented out',
  // the sample's InferenceModel uses fields its own bundled CRD (v1alpha2, manifests.yaml) does not have
  'k8s/GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-model.yaml:23':
    'modelName, poolRef missing per the bundled CRD',
  'k8s/GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-model.yaml:24':
    'modelSource unknown to the bundled CRD',
  'k8s/GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-model.yaml:28':
    'resources unknown to the bundled CRD',
  'k8s/GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-model-variables.yaml:23':
    'modelName, poolRef missing per the bundled CRD',
  'k8s/GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-model-variables.yaml:24':
    'modelSource unknown to the bundled CRD',
  'k8s/GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/infw-gw/examples/getting-started/inference-model-variables.yaml:28':
    'resources unknown to the bundled CRD',
  // booleans where the API wants strings (ConfigMap data, annotations, env values)
  'k8s/jpetazzo__container.training/k8s/M6-ingress-nginx-cm-patch.yaml:7': 'ConfigMap data value true (unquoted)',
  'k8s/jpetazzo__container.training/k8s/M6-ingress-nginx-cm-patch.yaml:8': 'ConfigMap data value true (unquoted)',
  'k8s/jpetazzo__container.training/k8s/M6-ingress-nginx-cm-patch.yaml:9': 'ConfigMap data value true (unquoted)',
  'k8s/jpetazzo__container.training/k8s/M6-ingress-nginx-svc-patch.yaml:7': 'annotation value true (unquoted)',
  'k8s/jpetazzo__container.training/k8s/M6-ingress-nginx-svc-patch.yaml:8': 'annotation value true (unquoted)',
  'k8s/kubernetes__ingress-nginx/docs/examples/auth/oauth-external-auth/vouch-proxy.yaml:21':
    'env value true (unquoted)',
  // custom resources that break their CRD on purpose (a training on CRD validation)
  'k8s/jpetazzo__container.training/k8s/coffees.yaml:29': 'bitterness: not in the Coffee CRD',
  'k8s/jpetazzo__container.training/k8s/coffees.yaml:31': 'Coffee without spec',
  'k8s/jpetazzo__container.training/k8s/pizzas.yaml:43': 'sauce: chocolate, not in the enum',
  // archived examples written against fields that never existed or were renamed
  'k8s/kubernetes__examples/_archived/volumes/aws_ebs/aws-ebs-web.yaml:12': 'protocol: tcp (must be TCP)',
  'k8s/kubernetes__examples/_archived/volumes/cinder/cinder-web.yaml:12': 'protocol: tcp (must be TCP)',
  'k8s/kubernetes__examples/_archived/volumes/rbd/rbd.yaml:25':
    'imageformat is a StorageClass parameter, not an rbd volume field',
  'k8s/kubernetes__examples/_archived/volumes/rbd/rbd.yaml:26':
    'imagefeatures is a StorageClass parameter, not an rbd volume field',
  'k8s/kubernetes__examples/_archived/volumes/scaleio/pod.yaml:17': 'typo protectionDoamin',
  'k8s/kubernetes__examples/_archived/volumes/storageos/storageos-pod.yaml:35': 'storageos.pool does not exist',
  'k8s/kubernetes__examples/_archived/volumes/storageos/storageos-pv.yaml:22':
    'storageos.secretName does not exist (secretRef)',
  'k8s/kubernetes__ingress-nginx/docs/examples/customization/ssl-dh-param/ssl-dh-param.yaml:3':
    'Secret data "...base64 encoded data..." placeholder',
  // a tripwire key the author put in on purpose, so that the file fails until edited
  'swarm/jpetazzo__container.training/compose/kube-router-k8s-control-plane/docker-compose.yaml:24':
    'key "Edit the CLUSTER placeholder first. Then, remove this line."',
};

describe('schema validation on real public manifests (../shared/corpus)', () => {
  it('finds no schema-invalid outside the listed genuine mistakes, and no internal error', async () => {
    const found = new Set<string>();
    const unexpected: string[] = [];
    // One run per source repository, as a GitOps repository would be checked: its CRDs apply to its custom resources.
    for (const platform of ['k8s', 'swarm']) {
      for (const repo of readdirSync(path.join(CORPUS, platform)).sort()) {
        const result = await lint({ paths: [path.join(platform, repo)], cwd: CORPUS });
        for (const f of result.findings) {
          if (f.ruleId === 'internal-error')
            unexpected.push(`internal-error ${f.file}:${f.range.startLine} ${f.message}`);
          if (f.ruleId !== 'schema-invalid') continue;
          const key = `${f.file}:${f.range.startLine}`;
          found.add(key);
          if (!GENUINE[key]) unexpected.push(`${key}:${f.range.startColumn} ${f.message}`);
        }
      }
    }
    expect(unexpected).toEqual([]);
    // The list stays honest: every entry is still found.
    expect(Object.keys(GENUINE).filter((k) => !found.has(k))).toEqual([]);
  }, 300_000);
});
