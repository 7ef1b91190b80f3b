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

/** What an experiment's `run` returns: figures, tidy series, plots and tables. */
export interface ExperimentOutput {
  /** Final headline figures. */
  scalars: Record<string, number>;
  /** Tidy rows for plots and claims. */
  series?: Record<string, SeriesRow[]>;
  /** Vega-Lite specs over the series. */
  plots?: PlotSpec[];
  /** Result tables. */
  tables?: Table[];
}
