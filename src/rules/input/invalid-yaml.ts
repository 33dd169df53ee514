import { defineLoadRule } from '../../engine/rule.js';

export default defineLoadRule({
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
