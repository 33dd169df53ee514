import { defineWorkloadRule } from '../../engine/rule.js';
import { interpolationDefault } from '../../model/compose-values.js';

export interface ImageTagMutableOptions {
  mutableTags: string[];
}

/** Tags that, by convention, are moved to a new image again and again. */
const DEFAULT_MUTABLE_TAGS = [
  'latest',
  'stable',
  'main',
  'master',
  'develop',
  'dev',
  'development',
  'edge',
  'nightly',
  'canary',
  'beta',
  'alpha',
  'rc',
  'next',
  'current',
  'release',
  'lts',
  'mainline',
  'unstable',
  'testing',
  'snapshot',
  'head',
  'trunk',
  'rolling',
];

/** An image reference split as Docker reads it: the tag is after the last `:` that follows the last `/`. */
export function parseImage(image: string): { name: string; tag: string | undefined; digest: string | undefined } {
  const at = image.indexOf('@');
  const digest = at === -1 ? undefined : image.slice(at + 1);
  const ref = at === -1 ? image : image.slice(0, at);
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash
    ? { name: ref.slice(0, colon), tag: ref.slice(colon + 1), digest }
    : { name: ref, tag: undefined, digest };
}

export default defineWorkloadRule<ImageTagMutableOptions, Set<string>>({
  id: 'image-tag-mutable',
  meta: {
    severity: 'warning',
    family: 'reliability',
    platforms: ['kubernetes', 'swarm'],
    description:
      'An image has no tag, the `latest` tag, or another tag that moves (`stable`, `main`, `nightly`…); a digest passes.',
    rationale:
      'A moving tag means the manifest in Git does not say what runs. Each node pulls whatever the tag points at when it starts a pod, so replicas of one Deployment run different builds, a node restart silently upgrades, and a rollback to the previous manifest rolls back nothing.',
    remediation:
      'Pin an immutable version tag (`1.27.3`) or, better, a digest (`image@sha256:…`), and let a tool (Renovate, Flux or Argo CD Image Updater) bump it in Git. Build-time placeholders are not reported: an image whose tag or digest a kustomization’s `images:` entry sets (newTag, digest; a newName alone is a mirror and keeps the tag), one built by a skaffold.yaml in its directory or above (`build.artifacts[].image`), or a `ko://` reference.',
    tags: ['images', 'gitops'],
  },
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        mutableTags: {
          type: 'array',
          items: { type: 'string' },
          description:
            'Tags treated as moving (compared case-insensitively). An image without a tag counts as `latest`.',
        },
      },
    },
    defaults: { mutableTags: DEFAULT_MUTABLE_TAGS },
  },
  setup(o) {
    return new Set(o.mutableTags.map((t) => t.toLowerCase()));
  },
  check(w, ctx) {
    if (w.composeOnly) return; // a docker compose file for local development builds and pulls what it likes
    for (const c of w.containers) {
      if (c.image === undefined || c.image.trim() === '') continue;
      // Swarm: `${TAG:-latest}` deploys latest when TAG is unset; `${TAG}` is decided at deploy time.
      const image = w.platform === 'swarm' ? interpolationDefault(c.image) : c.image;
      // Placeholders of templates and tutorials (`<YOUR-IMAGE>`, `$(IMAGE)`) are no reference at all.
      // `ko://importpath` is built and pinned by ko when it resolves the manifest.
      if (image === undefined || /\$\(|\{\{|[<>\s]/.test(image.trim()) || image.trim().startsWith('ko://')) continue;
      const { name, tag, digest } = parseImage(image.trim());
      // A name that a build tool of the input replaces at build time is a placeholder, not a reference to pull.
      if (
        digest ||
        (w.platform === 'kubernetes' && (ctx.index.kustomizeSetsTag(name) || ctx.index.buildsImage(name, w.resource)))
      )
        continue;
      const interpolated = image !== c.image ? ` (the default of ${c.image})` : '';
      let what: string;
      if (tag === undefined) what = `has no tag, so it means ${name}:latest`;
      else if (ctx.state.has(tag.toLowerCase())) what = `uses the moving tag "${tag}"`;
      else continue;
      const who = w.platform === 'swarm' ? `service "${w.name}"` : `container "${c.name}" of ${w.kind} "${w.name}"`;
      ctx.report({
        path: c.imagePath,
        container: c.name,
        message: `image ${image}${interpolated} of ${who} ${what}: each node pulls whatever it points at when it starts a ${w.platform === 'swarm' ? 'task' : 'pod'}, so replicas run different builds and rolling back the manifest does not roll back the code. Pin a version tag or a digest (@sha256:…).`,
      });
    }
  },
});
