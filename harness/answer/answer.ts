// Query answers as engine-neutral data, compared with the reference answer and summarised by
// a checksum. A leaf: it depends on no engine (read-answer-dir.ts reads engines' output files).
//
// Canonical values: integers are bigint, floating-point values are number, text is string,
// dates are 'YYYY-MM-DD' strings. Floating columns are compared with a RELATIVE tolerance
// (|expected - actual| <= tolerance × max(|expected|, |actual|)), everything else exactly.
import { createHash } from 'node:crypto';

export type AnswerValue = null | boolean | number | bigint | string;
export type AnswerRow = readonly AnswerValue[];

export interface AnswerColumn {
  readonly name: string;
  /** The type as the producer named it (DuckDB type names, or the workload's column types). */
  readonly type: string;
}

export interface Answer {
  readonly columns: readonly AnswerColumn[];
  readonly rows: readonly AnswerRow[];
}

export interface CompareOptions {
  /** Compare row order (the query's ORDER BY is part of the answer). */
  readonly ordered: boolean;
  /** Relative tolerance for floating columns; 0 (default) = exact. */
  readonly tolerance?: number;
  /** Columns that identify a row: unordered answers are matched on them. All non-float columns by default. */
  readonly keyColumns?: readonly string[];
  /** How many differing rows to report (default 10). */
  readonly maxDifferences?: number;
}

export type RowDifference =
  | { readonly kind: 'missing'; readonly position: number; readonly expected: AnswerRow }
  | { readonly kind: 'extra'; readonly position: number; readonly actual: AnswerRow }
  | {
      readonly kind: 'different';
      readonly position: number;
      readonly columns: readonly string[];
      readonly expected: AnswerRow;
      readonly actual: AnswerRow;
    };

export type AnswerComparison =
  | { readonly equal: true; readonly rows: number }
  | {
      readonly equal: false;
      readonly summary: string;
      readonly missing: number;
      readonly extra: number;
      readonly different: number;
      readonly firstDifferences: readonly RowDifference[];
    };

const FLOAT_TYPE = /^(DOUBLE|FLOAT|REAL|DECIMAL|NUMERIC)/i;

export function isFloatType(type: string): boolean {
  return FLOAT_TYPE.test(type);
}

function isNumeric(value: AnswerValue): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

function isIntegral(value: number | bigint): boolean {
  return typeof value === 'bigint' || Number.isInteger(value);
}

/** Equality of one value under the column's kind; exported for tests and for streaming checks. */
export function valuesEqual(expected: AnswerValue, actual: AnswerValue, floating: boolean, tolerance: number): boolean {
  if (expected === null || actual === null) return expected === actual;
  if (isNumeric(expected) && isNumeric(actual)) {
    if (!floating && isIntegral(expected) && isIntegral(actual)) return BigInt(expected) === BigInt(actual);
    const e = Number(expected);
    const a = Number(actual);
    if (Number.isNaN(e) || Number.isNaN(a)) return Number.isNaN(e) && Number.isNaN(a);
    if (e === a) return true;
    if (!floating || tolerance === 0 || !Number.isFinite(e) || !Number.isFinite(a)) return false;
    return Math.abs(e - a) <= tolerance * Math.max(Math.abs(e), Math.abs(a));
  }
  if (typeof expected === typeof actual) return expected === actual;
  // Mixed kinds (e.g. a CSV read as text against a number): compare their renderings.
  return String(expected) === String(actual);
}

/** Significant digits that keep floats distinct above a relative tolerance. */
function significantDigits(tolerance: number): number {
  return tolerance > 0 ? Math.min(17, Math.max(1, Math.ceil(-Math.log10(tolerance)))) : 17;
}

function renderValue(value: AnswerValue, floating: boolean, digits: number): string {
  if (value === null) return '\\N';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!floating && Number.isInteger(value)) return BigInt(value).toString();
    if (!Number.isFinite(value)) return String(value);
    if (value === 0) return '0';
    return Number(value.toPrecision(digits)).toString();
  }
  return JSON.stringify(value);
}

function floatColumns(...answers: readonly Pick<Answer, 'columns'>[]): boolean[] {
  const width = Math.max(...answers.map((a) => a.columns.length));
  return Array.from({ length: width }, (_, index) => answers.some((a) => isFloatType(a.columns[index]?.type ?? '')));
}

function renderRow(row: AnswerRow, floating: readonly boolean[], digits: number, indexes?: readonly number[]): string {
  const picked = indexes ? indexes.map((i) => row[i] ?? null) : row;
  const positions = indexes ?? row.map((_, i) => i);
  return picked.map((value, k) => renderValue(value, floating[positions[k]] ?? typeof value === 'number', digits)).join('\t');
}

function formatRow(row: AnswerRow): string {
  return `(${row.map((v) => (typeof v === 'string' ? `'${v}'` : v === null ? 'NULL' : String(v))).join(', ')})`;
}

function describeDifference(d: RowDifference): string {
  switch (d.kind) {
    case 'missing':
      return `row ${d.position} missing: ${formatRow(d.expected)}`;
    case 'extra':
      return `row ${d.position} unexpected: ${formatRow(d.actual)}`;
    case 'different':
      return `row ${d.position} differs in ${d.columns.join(', ')}: expected ${formatRow(d.expected)}, got ${formatRow(d.actual)}`;
  }
}

function differingColumns(expected: AnswerRow, actual: AnswerRow, names: readonly string[], floating: readonly boolean[], tolerance: number): string[] {
  const columns: string[] = [];
  for (let i = 0; i < names.length; i++) {
    if (!valuesEqual(expected[i] ?? null, actual[i] ?? null, floating[i] ?? false, tolerance)) columns.push(names[i]);
  }
  return columns;
}

export function compareAnswers(expected: Answer, actual: Answer, options: CompareOptions): AnswerComparison {
  const tolerance = options.tolerance ?? 0;
  const maxDifferences = options.maxDifferences ?? 10;
  const expectedNames = expected.columns.map((c) => c.name.toLowerCase());
  const actualNames = actual.columns.map((c) => c.name.toLowerCase());
  if (expectedNames.join('\u0000') !== actualNames.join('\u0000')) {
    return {
      equal: false,
      summary: `columns differ: expected (${expected.columns.map((c) => c.name).join(', ')}), got (${actual.columns.map((c) => c.name).join(', ')})`,
      missing: 0,
      extra: 0,
      different: 0,
      firstDifferences: [],
    };
  }
  const names = expected.columns.map((c) => c.name);
  const floating = floatColumns(expected, actual);
  const differences: RowDifference[] = [];
  let missing = 0;
  let extra = 0;
  let different = 0;
  const note = (d: RowDifference) => {
    if (d.kind === 'missing') missing++;
    else if (d.kind === 'extra') extra++;
    else different++;
    if (differences.length < maxDifferences) differences.push(d);
  };

  if (options.ordered) {
    const length = Math.max(expected.rows.length, actual.rows.length);
    for (let i = 0; i < length; i++) {
      const e = expected.rows[i];
      const a = actual.rows[i];
      if (a === undefined) note({ kind: 'missing', position: i, expected: e });
      else if (e === undefined) note({ kind: 'extra', position: i, actual: a });
      else {
        const columns = differingColumns(e, a, names, floating, tolerance);
        if (columns.length > 0) note({ kind: 'different', position: i, columns, expected: e, actual: a });
      }
    }
  } else {
    const keyIndexes = (options.keyColumns ?? names.filter((_, i) => !floating[i])).map((key) => {
      const index = expectedNames.indexOf(key.toLowerCase());
      if (index < 0) throw new Error(`compareAnswers: key column '${key}' is not one of (${names.join(', ')})`);
      return index;
    });
    const digits = significantDigits(tolerance);
    const sortable = (rows: readonly AnswerRow[]) =>
      rows
        .map((row) => ({ row, key: renderRow(row, floating, digits, keyIndexes), full: renderRow(row, floating, digits) }))
        .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.full < y.full ? -1 : x.full > y.full ? 1 : 0));
    const e = sortable(expected.rows);
    const a = sortable(actual.rows);
    let i = 0;
    let j = 0;
    while (i < e.length || j < a.length) {
      if (j >= a.length || (i < e.length && e[i].key < a[j].key)) note({ kind: 'missing', position: i, expected: e[i++].row });
      else if (i >= e.length || e[i].key > a[j].key) note({ kind: 'extra', position: j, actual: a[j++].row });
      else {
        const columns = differingColumns(e[i].row, a[j].row, names, floating, tolerance);
        if (columns.length > 0) note({ kind: 'different', position: i, columns, expected: e[i].row, actual: a[j].row });
        i++;
        j++;
      }
    }
  }

  if (missing + extra + different === 0) return { equal: true, rows: expected.rows.length };
  const order = options.ordered ? 'ordered' : 'unordered';
  const summary =
    `expected ${expected.rows.length} rows, got ${actual.rows.length} (${order}, tolerance ${tolerance}): ` +
    `${missing} missing, ${extra} extra, ${different} different; first: ${describeDifference(differences[0])}`;
  return { equal: false, summary, missing, extra, different, firstDifferences: differences };
}

/**
 * sha256 (hex) over a canonical rendering of the rows: integers in decimal, floats rounded to
 * the significant digits the tolerance allows, text JSON-quoted, NULL as \N. Unordered
 * answers hash their sorted rendering. Two answers equal under compareAnswers usually share
 * a checksum; floats straddling a rounding boundary can differ, so the checksum identifies
 * an answer (provenance, streaming comparisons of big answers) and compareAnswers decides.
 */
export function answerChecksum(answer: Answer | readonly AnswerRow[], options: { tolerance?: number; ordered?: boolean } = {}): string {
  const rows = Array.isArray(answer) ? (answer as readonly AnswerRow[]) : (answer as Answer).rows;
  const floating = Array.isArray(answer) ? [] : floatColumns(answer as Answer);
  const digits = significantDigits(options.tolerance ?? 0);
  const lines = rows.map((row) => renderRow(row, floating, digits));
  if (options.ordered === false) lines.sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(`${line}\n`);
  return hash.digest('hex');
}
