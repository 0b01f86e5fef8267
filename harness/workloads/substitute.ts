// The ONE place `${VAR}` is replaced, for workload SQL and dataset expressions alike, so
// every file follows the same rules: names are [A-Za-z_][A-Za-z0-9_]*, an unknown name is
// an error (never left in place, never replaced by ''), and a `${` that is not a well-formed
// reference is an error too.
import { BenchError, UsageError } from '../errors.ts';

export type SubstitutionValue = string | number | bigint;
export type SubstitutionVars = Readonly<Record<string, SubstitutionValue>>;

const REFERENCE = /\$\{([^}]*)\}?/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces each `${NAME}` in `text` with `vars[NAME]`. `where` names the file (and field) the
 * text came from, for the error message.
 */
export function substitute(text: string, vars: SubstitutionVars, where: string): string {
  return text.replace(REFERENCE, (match: string, name: string) => {
    if (!match.endsWith('}') || !NAME.test(name)) {
      throw new UsageError(`${where}: malformed variable reference '${match}' (expected \${NAME} with NAME of letters, digits, _)`);
    }
    if (!Object.hasOwn(vars, name)) {
      const known = Object.keys(vars).sort().join(', ') || '(none)';
      throw new UsageError(`${where}: unknown variable '\${${name}}'; known variables: ${known}`);
    }
    return String(vars[name]);
  });
}

/** The variable names `text` refers to, in order of first use. */
export function referencedVariables(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(REFERENCE)) {
    if (m[1] !== undefined && !names.includes(m[1])) names.push(m[1]);
  }
  return names;
}
