/** A command line split into flags with values, boolean flags and the rest. */
export interface ParsedArgs {
  readonly values: Map<string, string>;
  readonly flags: Set<string>;
  readonly unknown: string[];
}

/**
 * Parses `--name value`, `--name=value` and boolean `--flag` options against what a command
 * accepts; anything else is reported in `unknown`.
 */
export function parseArgs(argv: readonly string[], withValue: readonly string[], boolean: readonly string[]): ParsedArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const unknown: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (withValue.includes(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) unknown.push(`${name} (needs a value)`);
      else values.set(name, v);
    } else if (boolean.includes(a)) {
      flags.add(a);
    } else {
      unknown.push(a);
    }
  }
  return { values, flags, unknown };
}
