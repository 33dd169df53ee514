/**
 * Command-line flags that open an unauthenticated admin surface, kept as data. `when` says which values are
 * insecure: `on` (the flag alone, or =true/1/yes), a list of values, or a test on the value.
 */
export interface InsecureFlag {
  /** The flag as written, with its dashes: `--api.insecure`. */
  flag: string;
  when: 'on' | readonly string[] | ((value: string) => boolean);
  /** Whether the value may come in the next argument (`--protected-mode no`); Go boolean flags need `=`. */
  separateValue?: boolean;
  /** Only for these programs (tested on the image and the command): a flag such as `--insecure` means other things elsewhere. */
  program?: RegExp;
  /** What is exposed, for the message. */
  what: string;
  /** Where the flag is documented. */
  source: string;
}

export const INSECURE_FLAGS: readonly InsecureFlag[] = [
  {
    flag: '--api.insecure',
    when: 'on',
    what: 'the Traefik API and dashboard (port 8080)',
    source: 'https://doc.traefik.io/traefik/operations/api/#insecure',
  },
  {
    flag: '--insecure',
    when: 'on',
    program: /cockroach/i,
    what: 'CockroachDB without passwords or TLS',
    source: 'https://www.cockroachlabs.com/docs/stable/cockroach-start#security',
  },
  { flag: '--auth', when: ['false', '0', 'no'], what: 'a server without authentication', source: 'generic' },
  { flag: '--disable-auth', when: 'on', what: 'a server without authentication', source: 'generic' },
  {
    flag: '--noauth',
    when: 'on',
    what: 'MongoDB without access control',
    source: 'https://www.mongodb.com/docs/manual/reference/program/mongod/#std-option-mongod.--noauth',
  },
  {
    flag: '--enable-skip-login',
    when: 'on',
    what: 'the Kubernetes Dashboard with a Skip login button',
    source: 'https://github.com/kubernetes/dashboard/blob/master/docs/common/arguments.md',
  },
  {
    flag: '--anonymous-auth',
    when: ['true', '1'],
    what: 'a Kubernetes API server or kubelet to anonymous users',
    source: 'https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/',
  },
  {
    flag: '--authorization-mode',
    when: (v) => v.split(',').includes('AlwaysAllow'),
    what: 'an API server that allows every request',
    source: 'https://kubernetes.io/docs/reference/access-authn-authz/authorization/',
  },
  {
    flag: '--insecure-port',
    when: (v) => /^\d+$/.test(v) && v !== '0',
    what: 'the insecure port of an old kube-apiserver',
    source: 'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/',
  },
  {
    flag: '--web.enable-admin-api',
    when: 'on',
    what: "Prometheus's admin API (delete series, snapshots)",
    source: 'https://prometheus.io/docs/prometheus/latest/querying/api/#tsdb-admin-apis',
  },
  {
    flag: '--protected-mode',
    when: ['no'],
    separateValue: true,
    what: 'Redis without a password on every interface',
    source: 'https://redis.io/docs/latest/operate/oss_and_stack/management/security/#protected-mode',
  },
  {
    flag: '--host',
    when: (v) => /^tcp:\/\/[^/]*:2375\/?$/.test(v),
    separateValue: true,
    what: 'the Docker Engine API over plain TCP (2375)',
    source: 'https://docs.docker.com/engine/security/protect-access/',
  },
  {
    flag: '-H',
    when: (v) => /^tcp:\/\/[^/]*:2375\/?$/.test(v),
    separateValue: true,
    what: 'the Docker Engine API over plain TCP (2375)',
    source: 'https://docs.docker.com/engine/security/protect-access/',
  },
  {
    flag: '-dev',
    when: 'on',
    program: /vault/i,
    what: 'a Vault dev server with a known root token',
    source: 'https://developer.hashicorp.com/vault/docs/concepts/dev-server',
  },
  {
    flag: '--NotebookApp.token',
    when: [''],
    what: 'a Jupyter server without a token',
    source: 'https://jupyter-server.readthedocs.io/en/latest/operators/public-server.html',
  },
  {
    flag: '--ServerApp.token',
    when: [''],
    what: 'a Jupyter server without a token',
    source: 'https://jupyter-server.readthedocs.io/en/latest/operators/public-server.html',
  },
];

const ON = new Set(['', 'true', '1', 'yes', 'on']);

/** The flags that apply to a program (its image and command line): tested once per container, not once per argument. */
export function flagsFor(program: string): readonly InsecureFlag[] {
  return INSECURE_FLAGS.filter((f) => !f.program || f.program.test(program));
}

/** The insecure flag a token (with the one after it) sets, or undefined; `flags` are those of the program (flagsFor). */
export function matchInsecureFlag(
  token: string,
  next: string | undefined,
  flags: readonly InsecureFlag[],
): { flag: InsecureFlag; value: string } | undefined {
  if (token.charCodeAt(0) !== 0x2d) return undefined; // every flag starts with a dash
  for (const f of flags) {
    let value: string | undefined;
    if (token === f.flag)
      value = f.separateValue && next !== undefined && !next.startsWith('-') ? next : f.when === 'on' ? '' : undefined;
    else if (token.startsWith(`${f.flag}=`)) value = token.slice(f.flag.length + 1).replace(/^(["'])(.*)\1$/, '$2');
    if (value === undefined) continue;
    const insecure =
      f.when === 'on'
        ? ON.has(value.toLowerCase())
        : typeof f.when === 'function'
          ? f.when(value)
          : f.when.includes(value.toLowerCase());
    if (insecure) return { flag: f, value };
  }
  return undefined;
}
