import * as highsModule from 'highs';
import type { Highs } from 'highs';

/**
 * HiGHS (LP and MIP, compiled to WebAssembly) behind a small builder: rows and columns are added one by
 * one with their coefficients, then handed over as one sparse column-wise model. The runtime is loaded
 * once per process (about 0.2 s); models are disposed after every solve (WebAssembly memory is not
 * garbage-collected).
 */

type Loader = () => Promise<Highs>;
// The package's types describe its CommonJS build (default export wrapped once more); at run time Node
// loads its ES module, whose default export is the loader itself. Accept either shape.
const exported = (highsModule as unknown as { default: Loader | { default: Loader } }).default;
const loadHighs: Loader = typeof exported === 'function' ? exported : exported.default;

let runtime: Promise<Highs> | null = null;
export function highs(): Promise<Highs> {
  runtime ??= loadHighs();
  return runtime;
}

export interface SolveOutcome {
  status: 'optimal' | 'infeasible' | 'time-limit' | 'other';
  /** Column values (absent when no feasible point is known). */
  values: Float64Array | null;
  objective: number;
  /** MIP: best proven bound on the objective (minimisation); LP: the objective when optimal. */
  dualBound: number;
  /** Rows of an irreducible infeasible subsystem, when asked for and the model is infeasible. */
  iisRows: number[] | null;
}

export class LpBuilder {
  private readonly rowLo: number[] = [];
  private readonly rowHi: number[] = [];
  private readonly cost: number[] = [];
  private readonly colLo: number[] = [];
  private readonly colHi: number[] = [];
  private readonly integer: number[] = [];
  /** Coefficients as (column, row, value) triplets, sorted into columns at solve time. */
  private readonly entryCol: number[] = [];
  private readonly entryRow: number[] = [];
  private readonly entryVal: number[] = [];

  get rows(): number {
    return this.rowLo.length;
  }
  get cols(): number {
    return this.cost.length;
  }

  addRow(lo: number, hi: number): number {
    this.rowLo.push(lo);
    this.rowHi.push(hi);
    return this.rowLo.length - 1;
  }

  setRowBounds(row: number, lo: number, hi: number): void {
    this.rowLo[row] = lo;
    this.rowHi[row] = hi;
  }

  /** A column with its objective coefficient, bounds, integrality and (row, value) entries (rows must exist). */
  addCol(cost: number, lo: number, hi: number, integer: boolean, rows: readonly number[], values: readonly number[]): number {
    this.cost.push(cost);
    this.colLo.push(lo);
    this.colHi.push(hi);
    this.integer.push(integer ? 1 : 0);
    const col = this.cost.length - 1;
    for (let k = 0; k < rows.length; k++) this.addEntry(col, rows[k]!, values[k]!);
    return col;
  }

  /** One more coefficient of an existing column (rows added after the column, e.g. ordering rows). */
  addEntry(col: number, row: number, value: number): void {
    if (value === 0) return;
    this.entryCol.push(col);
    this.entryRow.push(row);
    this.entryVal.push(value);
  }

  private csc(): { starts: Int32Array; indices: Int32Array; values: Float64Array } {
    const n = this.cols;
    const starts = new Int32Array(n + 1);
    for (const c of this.entryCol) starts[c + 1]!++;
    for (let c = 0; c < n; c++) starts[c + 1]! += starts[c]!;
    const fill = starts.slice(0, n);
    const indices = new Int32Array(this.entryCol.length);
    const values = new Float64Array(this.entryCol.length);
    for (let k = 0; k < this.entryCol.length; k++) {
      const at = fill[this.entryCol[k]!]!++;
      indices[at] = this.entryRow[k]!;
      values[at] = this.entryVal[k]!;
    }
    return { starts, indices, values };
  }

  /**
   * Solves (minimising) within `timeLimitSeconds`. `start` seeds a MIP with a feasible point, which HiGHS
   * keeps as its incumbent: a time-limited solve then never returns worse than the start.
   */
  async solve(options: { timeLimitSeconds: number; mip: boolean; start?: Float64Array; relativeGap?: number; iis?: boolean }): Promise<SolveOutcome> {
    const h = await highs();
    const inf = h.infinity;
    const clamp = (xs: number[]) => Float64Array.from(xs, (x) => (x === Infinity ? inf : x === -Infinity ? -inf : x));
    const model = h.createModel({
      numCols: this.cols,
      numRows: this.rows,
      colCost: Float64Array.from(this.cost),
      colLower: clamp(this.colLo),
      colUpper: clamp(this.colHi),
      rowLower: clamp(this.rowLo),
      rowUpper: clamp(this.rowHi),
      matrix: { format: 'csc', numRows: this.rows, numCols: this.cols, ...this.csc() },
      ...(options.mip ? { integrality: Int32Array.from(this.integer) } : {}),
    });
    try {
      model.options.set({ output_flag: false, time_limit: Math.max(0.01, options.timeLimitSeconds), mip_rel_gap: options.relativeGap ?? 1e-6 });
      // The default (light) IIS strategy often returns nothing; rows first is what an explanation needs.
      if (options.iis) model.options.set({ iis_strategy: h.constants.iis.strategyRowPriority });
      if (options.start) model.setSolution({ colValue: options.start });
      model.run();
      const code = model.getModelStatus();
      const s = h.constants.modelStatus;
      const status = code === s.optimal ? 'optimal' : code === s.infeasible ? 'infeasible' : code === s.timeLimit ? 'time-limit' : 'other';
      const sol = model.getSolution();
      const hasValues = sol.colValue.length === this.cols && (status === 'optimal' || (options.mip && Number.isFinite(model.getObjectiveValue()) && Number(model.info.get('primal_solution_status')) === 2));
      const objective = hasValues ? model.getObjectiveValue() : Infinity;
      const dualBound = options.mip ? Number(model.info.get('mip_dual_bound')) : status === 'optimal' ? objective : -Infinity;
      let iisRows: number[] | null = null;
      if (options.iis && status === 'infeasible') {
        try {
          iisRows = [...model.getIis().rowIndex];
        } catch {
          iisRows = null; // HiGHS could not isolate one; the caller explains with totals instead.
        }
      }
      return { status, values: hasValues ? Float64Array.from(sol.colValue) : null, objective, dualBound, iisRows };
    } finally {
      model.dispose();
    }
  }
}
