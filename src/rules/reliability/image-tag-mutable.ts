import { defineWorkloadRule, type RuleContext } from '../../engine/rule.js';
import { interpolationDefault } from '../../model/compose-values.js';
import type { Container } from '../../model/types.js';

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
    description:
      'An image has no tag, the `latest` tag, or another tag that moves (`stable`, `main`, `nightly`…); a digest passes.',
    rationale:
      'A moving tag means the manifest in Git does not say what runs. Each node pulls whatever the tag points at when it starts a pod, so replicas of one Deployment run different builds, a node restart silently upgrades, and a rollback to the previous manifest rolls back nothing.',
    remediation:
      'Pin an immutable version tag (`1.27.3`) or, better, a digest (`image@sha256:…`), and let a tool (Renovate, Flux or Argo CD Image Updater) bump it in Git. Build-time placeholders are not reported: an image whose tag or digest a kustomization’s `images:` entry sets (newTag, digest; a newName alone is a mirror and keeps the tag), one built by a skaffold.yaml in its directory or above (`build.artifacts[].image`), or a `ko://` reference.',
    tags: ['images', 'gitops'],
    messages: {
      noTag: '{{subject}} uses image {{image}}{{origin}} with no tag (latest)',
      movingTag: '{{subject}} uses image {{image}}{{origin}} with the moving tag "{{tag}}"',
    },
  },
  applies: { platforms: ['kubernetes', 'swarm'], skip: ['compose-only'] },
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
  kubernetes(w, ctx) {
    for (const c of w.containers) {
      if (c.image === undefined || c.image.trim() === '') continue;
      // A name that a build tool of the input replaces at build time is a placeholder, not a reference to pull.
      const builtHere = (name: string): boolean =>
        ctx.index.kustomizeSetsTag(name) || ctx.index.buildsImage(name, w.resource);
      checkImage(c.image, c, builtHere, ctx);
    }
  },
  swarm(s, ctx) {
    const c = s.container;
    if (c.image === undefined || c.image.trim() === '') return;
    // `${TAG:-latest}` deploys latest when TAG is unset; `${TAG}` is decided at deploy time.
    const image = interpolationDefault(c.image);
    if (image !== undefined) checkImage(image, c, () => false, ctx);
  },
});

function checkImage(
  image: string,
  c: Container,
  builtHere: (name: string) => boolean,
  ctx: RuleContext<ImageTagMutableOptions, ReadonlySet<string>>,
): void {
  // Placeholders of templates and tutorials (`<YOUR-IMAGE>`, `$(IMAGE)`) are no reference at all.
  // `ko://importpath` is built and pinned by ko when it resolves the manifest.
  if (/\$\(|\{\{|[<>\s]/.test(image.trim()) || image.trim().startsWith('ko://')) return;
  const { name, tag, digest } = parseImage(image.trim());
  if (digest || builtHere(name)) return;
  const origin = image !== c.image ? ` (default of ${c.image ?? ''})` : '';
  const at = { path: c.imagePath, container: c.name };
  if (tag === undefined) ctx.report({ ...at, messageId: 'noTag', data: { image, origin } });
  else if (ctx.state.has(tag.toLowerCase()))
    ctx.report({ ...at, messageId: 'movingTag', data: { image, origin, tag } });
}
