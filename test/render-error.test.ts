import { describe, expect, it } from 'vitest';
import { kustomizeError } from '../src/load/render.js';

/** What a render-failed finding says: kustomize's error, not the first line of its stderr. */
describe('kustomize error lines', () => {
  it('skips a deprecation warning printed before the error', () => {
    const stderr =
      "# Warning: 'bases' is deprecated. Please use 'resources' instead.\nE1206 03:53:44.660424    9685 run.go:72] \"command failed\" err=\"accumulating resources: accumulation err='accumulating resources from 'x.yaml': evalsymlink failure on '/tmp/k/x.yaml' : lstat /tmp/k/x.yaml: no such file or directory': must build at directory: not a valid directory\"\n";
    expect(kustomizeError(stderr, ['/tmp/k'])).toBe("cannot read resource 'x.yaml': no such file or directory");
  });

  it('reads the message of a multi-line `err=<` block, not `err=<` itself', () => {
    const stderr =
      'E1206 04:12:04.317703     359 run.go:72] "command failed" err=<\n\tmalformed YAML in patch.yaml: yaml: line 3: mapping values are not allowed in this context\n >\n';
    expect(kustomizeError(stderr)).toBe(
      'malformed YAML in patch.yaml: yaml: line 3: mapping values are not allowed in this context',
    );
  });

  it('says when the load restrictor refuses a file outside the kustomization', () => {
    const stderr =
      "E1 run.go:72] \"command failed\" err=\"accumulating resources: accumulation err='accumulating resources from '../tgi-2b.yaml': security; file '/r/tgi-2b.yaml' is not in or below '/r/tgi'': must build at directory: not a valid directory\"\n";
    expect(kustomizeError(stderr)).toBe(
      "resource '../tgi-2b.yaml' is outside the kustomization's directory, which kustomize's load restrictor refuses (--load-restrictor LoadRestrictionsNone allows it)",
    );
  });
});
