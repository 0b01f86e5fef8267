// What a report is made of, independent of HTML: sections of charts (a vega-lite spec plus a
// table of the same numbers), tables and text. Built by pure functions from results
// documents (build-report.ts), rendered by render-html.ts.
import type { TopLevelSpec } from 'vega-lite';
import type { MeasurementStatus } from '../results/schema.ts';

/** A table cell: plain text, optionally with a tooltip (e.g. the full reason) and a status for styling. */
export type Cell = string | { text: string; title?: string; status?: MeasurementStatus };

export interface Table {
  /** HTML id of the table element (charts' tables get table-<chart id>). */
  id?: string;
  columns: { header: string; numeric?: boolean }[];
  rows: Cell[][];
  /** Long tables (time series) start collapsed. */
  collapsed?: boolean;
}

export interface Chart {
  /** Unique within a report; also the file name of the spec (specs/<id>.vl.json). */
  id: string;
  title: string;
  spec: TopLevelSpec;
  table: Table;
  /** One sentence under the title: what the chart shows and how to read it. */
  caption?: string;
}

export type Block =
  | { kind: 'chart'; chart: Chart }
  | { kind: 'table'; title?: string; table: Table }
  | { kind: 'text'; paragraphs: string[] }
  | { kind: 'definitions'; items: { term: string; description: string }[] };

export interface Section {
  id: string;
  title: string;
  blocks: Block[];
}

export interface Report {
  title: string;
  subtitle: string;
  sections: Section[];
}

export function cellText(cell: Cell): string {
  return typeof cell === 'string' ? cell : cell.text;
}
