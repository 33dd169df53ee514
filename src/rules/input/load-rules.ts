import { defineLoadRule } from '../../engine/rule.js';

export const invalidYaml = defineLoadRule({
  id: 'invalid-yaml',
  meta: {
    severity: 'error',
    family: 'input',
    description:
      'A file is not valid YAML (or JSON), or cannot be read as manifests: binary or Latin-1 bytes, an alias bomb, absurd nesting, a document that is not an object among Kubernetes objects.',
    rationale:
      'kubectl, ArgoCD and docker stack deploy refuse the whole file: nothing in it is deployed, and a sync that includes it fails.',
    remediation:
      'Fix the syntax at the reported line and column; re-save Latin-1 or Windows-1252 text as UTF-8; write repeated values out instead of expanding aliases; give back the apiVersion and kind that a stray `---` or `...` cut off. Every other file is still checked.',
    tags: ['input'],
    messages: {
      notYaml: 'not valid YAML: {{error:130}}',
      notText: '{{problem:150}}',
      notObject: '{{problem:150}}',
      tooDeep: 'nested more than {{max}} levels deep: not parsed',
      parserExhausted: 'nested too deeply for the YAML parser: not read',
      aliasBomb: 'its aliases expand more than {{max}} times (an alias bomb): not read',
      unreadable: 'cannot be read: {{error:130}}',
      mergeTag: 'a !!merge tag on a value (not a `<<` key): kubectl reads nothing there',
      strayDocument: 'this document is {{what}}, not a Kubernetes object: kubectl apply rejects the whole file',
    },
  },
  applies: { platforms: ['kubernetes', 'swarm'] },
});

export const duplicateKey = defineLoadRule({
  id: 'duplicate-key',
  meta: {
    severity: 'error',
    family: 'input',
    description: 'A mapping has the same key twice.',
    rationale:
      'kubectl apply and most YAML readers silently keep the last value, so what the author meant in the first one is lost without a warning.',
    remediation: 'Keep one of the two keys and merge what each meant.',
    tags: ['input'],
    messages: {
      duplicate: 'duplicate key {{key}}: kubectl apply keeps only the last value',
    },
  },
  applies: { platforms: ['kubernetes', 'swarm'] },
});

export const templateSyntax = defineLoadRule({
  id: 'template-syntax',
  meta: {
    severity: 'error',
    family: 'input',
    description: 'A file contains template syntax ({{ … }}) and cannot be read as YAML.',
    rationale:
      'Helm and other templates are not manifests until rendered; checking them as YAML gives meaningless results.',
    remediation:
      'Render the templates (helm template, or shipshape --render) and check the output, or exclude the directory with `ignore:`.',
    tags: ['input'],
    messages: {
      template: 'this looks like a template ({{ … }} is template syntax, not YAML): render it first',
    },
  },
  applies: { platforms: ['kubernetes', 'swarm'] },
});

export const internalError = defineLoadRule({
  id: 'internal-error',
  meta: {
    severity: 'error',
    family: 'input',
    description: 'A rule failed on a resource; that rule was skipped for it and every other check still ran.',
    rationale: 'A bug in a rule must never hide the findings of the others, nor pass silently.',
    remediation: 'Report the message to the shipshape maintainers, with the resource if you can share it.',
    tags: ['input'],
    messages: {
      ruleFailed: 'rule {{rule}} failed on this resource and was skipped: {{error:100}}',
    },
  },
  applies: { platforms: ['kubernetes', 'swarm'] },
});
