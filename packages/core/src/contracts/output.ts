/** One tidy row of a series: column name → value. */
export type SeriesRow = Record<string, number | string | boolean | null>;

/** A Vega-Lite specification (JSON). Kept structural so core does not force vega-lite's types on plugins. */
export type VegaLiteSpec = Record<string, unknown>;

/** A plot over one of the output's series; the renderer injects the series rows as the spec's data. */
export interface PlotSpec {
  /** File-safe id, e.g. `ntk-deviation-vs-width`. */
  id: string;
  /** Human title shown above the plot. */
  title: string;
  /** Name of the series in {@link ExperimentOutput.series} the plot draws. */
  series: string;
  /** Vega-Lite spec without `data`; the renderer fills `data.values`. */
  spec: VegaLiteSpec;
}

/** A small table of results (e.g. per-width numbers). */
export interface Table {
  id: string;
  title: string;
  columns: string[];
  rows: Array<Array<number | string | null>>;
}

/** The scalars a run writes, keyed by the experiment's declared scalar keys. */
export type Scalars<K extends string = string> = string extends K
  ? Record<string, number>
  : { [P in K]?: number };

/** What an experiment's `run` returns: figures, tidy series, plots and tables. */
export interface ExperimentOutput<K extends string = string> {
  /** Final headline figures, keyed by the experiment's declared scalar keys. */
  scalars: Scalars<K>;
  /** Tidy rows for plots and claims. */
  series?: Record<string, SeriesRow[]>;
  /** Vega-Lite specs over the series. */
  plots?: PlotSpec[];
  /** Result tables. */
  tables?: Table[];
}

/**
 * What a claim's check reads. `scalars` is strict: reading a key the run did not write, or one that is not
 * finite, throws a `MissingScalarError` naming it and the claim becomes inconclusive. `raw` reads leniently.
 */
export interface ClaimOutput<K extends string = string> {
  scalars: Readonly<Record<K, number>>;
  /** The scalars as written, for optional or possibly non-finite values. */
  raw: Readonly<Scalars<K>>;
  series: Record<string, SeriesRow[]>;
  tables: Table[];
}
