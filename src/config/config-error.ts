import type { Path, Range } from '../model/types.js';

/** A configuration mistake: the CLI prints the message as one line and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Where a config value was read from, to name the file, line and column of a mistake. */
export interface ConfigSource {
  file: string;
  locate(path: Path): Range;
}

/** `file:line:col: what`, at the value at `path` (or its closest existing parent). */
export function configErrorAt(source: ConfigSource | undefined, path: Path, what: string): ConfigError {
  if (!source) return new ConfigError(`config: ${what}`);
  const r = source.locate(path);
  return new ConfigError(`${source.file}:${r.startLine}:${r.startColumn}: ${what}`);
}
