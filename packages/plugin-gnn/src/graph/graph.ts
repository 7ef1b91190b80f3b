/** Row-major features: `data` holds `rows × dim` values. */
export interface Features {
  data: Float32Array;
  dim: number;
}

/**
 * A graph in COO form: nodes `0 … numNodes − 1`, directed edges `src[e] → dst[e]` (an undirected graph stores
 * both directions). Messages flow along edges: a node aggregates over its in-edges.
 */
export interface Graph {
  numNodes: number;
  src: Int32Array;
  dst: Int32Array;
  /** Node features (`numNodes × dim`). */
  x?: Features;
  /** Edge features (`numEdges × dim`), in edge order. */
  edgeAttr?: Features;
  /** Node positions (`numNodes × dim`), for geometric graphs. */
  pos?: Features;
}

/** Compressed sparse rows: row `r` holds columns `colIdx[rowPtr[r] … rowPtr[r+1])` with `values`. */
export interface Csr {
  rows: number;
  cols: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  values: Float32Array;
}

/** A block-diagonal batch of graphs: one graph whose nodes and edges are the members', offset. */
export interface GraphBatch extends Graph {
  numGraphs: number;
  /** Graph of each node. */
  graphOf: Int32Array;
  /** First node of each graph, plus the total at the end (`numGraphs + 1` entries). */
  nodeOffsets: Int32Array;
  /** First edge of each graph, plus the total at the end. */
  edgeOffsets: Int32Array;
}

/** Number of (directed) edges. */
export function numEdges(g: Graph): number {
  return g.src.length;
}

/** Builds a graph, checking that edge arrays agree and every endpoint is a node. */
export function makeGraph(
  numNodes: number,
  src: ArrayLike<number>,
  dst: ArrayLike<number>,
  extra: Omit<Graph, 'numNodes' | 'src' | 'dst'> = {},
): Graph {
  if (!Number.isInteger(numNodes) || numNodes < 0)
    throw new RangeError(`makeGraph: numNodes must be a count, got ${numNodes}`);
  if (src.length !== dst.length)
    throw new RangeError(`makeGraph: ${src.length} sources but ${dst.length} destinations`);
  const s = Int32Array.from(src);
  const d = Int32Array.from(dst);
  for (let e = 0; e < s.length; e++)
    if (s[e]! < 0 || s[e]! >= numNodes || d[e]! < 0 || d[e]! >= numNodes)
      throw new RangeError(
        `makeGraph: edge ${e} (${s[e]} → ${d[e]}) has an endpoint outside 0…${numNodes - 1}`,
      );
  const g: Graph = { numNodes, src: s, dst: d, ...extra };
  checkFeatures(g.x, numNodes, 'x');
  checkFeatures(g.edgeAttr, s.length, 'edgeAttr');
  checkFeatures(g.pos, numNodes, 'pos');
  return g;
}

function checkFeatures(f: Features | undefined, rows: number, what: string): void {
  if (f && f.data.length !== rows * f.dim)
    throw new RangeError(`makeGraph: ${what} has ${f.data.length} values, expected ${rows} × ${f.dim}`);
}

/**
 * An undirected simple graph from unordered pairs: both directions stored, self-loops and duplicates dropped,
 * edges sorted by (dst, src).
 */
export function undirected(
  numNodes: number,
  pairs: ArrayLike<number>,
  extra: Omit<Graph, 'numNodes' | 'src' | 'dst' | 'edgeAttr'> = {},
): Graph {
  if (pairs.length % 2) throw new RangeError('undirected: pairs must hold an even number of endpoints');
  const keys = new Set<number>();
  for (let i = 0; i < pairs.length; i += 2) {
    const a = pairs[i]!;
    const b = pairs[i + 1]!;
    if (a === b) continue;
    keys.add(a * numNodes + b);
    keys.add(b * numNodes + a);
  }
  const sorted = Float64Array.from(keys).sort();
  const src = new Int32Array(sorted.length);
  const dst = new Int32Array(sorted.length);
  // Key = dst·n + src so the sort groups in-edges.
  sorted.forEach((k, e) => {
    dst[e] = Math.floor(k / numNodes);
    src[e] = k - dst[e]! * numNodes;
  });
  return makeGraph(numNodes, src, dst, extra);
}

/** In-degree of every node (number of edges arriving). */
export function inDegrees(g: Graph): Int32Array {
  const d = new Int32Array(g.numNodes);
  for (let e = 0; e < g.dst.length; e++) d[g.dst[e]!]!++;
  return d;
}

/** Out-degree of every node. */
export function outDegrees(g: Graph): Int32Array {
  const d = new Int32Array(g.numNodes);
  for (let e = 0; e < g.src.length; e++) d[g.src[e]!]!++;
  return d;
}

/** The same graph with a self-loop added at every node that lacks one (appended after the edges). */
export function addSelfLoops(g: Graph): Graph {
  const has = new Uint8Array(g.numNodes);
  for (let e = 0; e < g.src.length; e++) if (g.src[e] === g.dst[e]) has[g.src[e]!] = 1;
  const extra: number[] = [];
  for (let v = 0; v < g.numNodes; v++) if (!has[v]) extra.push(v);
  const src = new Int32Array(g.src.length + extra.length);
  const dst = new Int32Array(src.length);
  src.set(g.src);
  dst.set(g.dst);
  src.set(extra, g.src.length);
  dst.set(extra, g.src.length);
  const out: Graph = { ...g, src, dst };
  delete out.edgeAttr;
  return out;
}

/**
 * CSR of the aggregation matrix: row `i` lists the sources `j` of edges `j → i` (so `A·X` sums in-messages),
 * with `values[k]` from `weights` (default 1) in edge order. `order[k]` is the edge at CSR position `k`.
 */
export function toCsr(g: Graph, weights?: ArrayLike<number>): Csr & { order: Int32Array } {
  const n = g.numNodes;
  const m = g.src.length;
  if (weights && weights.length !== m)
    throw new RangeError(`toCsr: ${weights.length} weights for ${m} edges`);
  const rowPtr = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) rowPtr[g.dst[e]! + 1]!++;
  for (let i = 0; i < n; i++) rowPtr[i + 1]! += rowPtr[i]!;
  const fill = rowPtr.slice(0, n);
  const colIdx = new Int32Array(m);
  const values = new Float32Array(m);
  const order = new Int32Array(m);
  for (let e = 0; e < m; e++) {
    const k = fill[g.dst[e]!]!++;
    colIdx[k] = g.src[e]!;
    values[k] = weights ? weights[e]! : 1;
    order[k] = e;
  }
  return { rows: n, cols: n, rowPtr, colIdx, values, order };
}

/** The non-zeros of a dense row-major `rows × cols` matrix as CSR (e.g. sparse binary node features). */
export function denseToCsr(dense: ArrayLike<number>, rows: number, cols: number): Csr {
  if (dense.length !== rows * cols)
    throw new RangeError(`denseToCsr: expected ${rows}×${cols} = ${rows * cols} values, got ${dense.length}`);
  const rowPtr = new Int32Array(rows + 1);
  for (let i = 0; i < rows; i++) {
    let c = 0;
    for (let j = 0; j < cols; j++) if (dense[i * cols + j] !== 0) c++;
    rowPtr[i + 1] = rowPtr[i]! + c;
  }
  const colIdx = new Int32Array(rowPtr[rows]!);
  const values = new Float32Array(rowPtr[rows]!);
  let k = 0;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const v = dense[i * cols + j]!;
      if (v !== 0) {
        colIdx[k] = j;
        values[k++] = v;
      }
    }
  return { rows, cols, rowPtr, colIdx, values };
}

/** The transpose of a CSR matrix (columns stay sorted within rows when they were). */
export function transposeCsr(a: Csr): Csr {
  const rowPtr = new Int32Array(a.cols + 1);
  const nnz = a.rowPtr[a.rows]!;
  for (let k = 0; k < nnz; k++) rowPtr[a.colIdx[k]! + 1]!++;
  for (let i = 0; i < a.cols; i++) rowPtr[i + 1]! += rowPtr[i]!;
  const fill = rowPtr.slice(0, a.cols);
  const colIdx = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  for (let r = 0; r < a.rows; r++)
    for (let k = a.rowPtr[r]!; k < a.rowPtr[r + 1]!; k++) {
      const p = fill[a.colIdx[k]!]!++;
      colIdx[p] = r;
      values[p] = a.values[k]!;
    }
  return { rows: a.cols, cols: a.rows, rowPtr, colIdx, values };
}

/** Row ids of every stored entry of a CSR matrix. */
export function csrRowIds(a: Csr): Int32Array {
  const rows = new Int32Array(a.rowPtr[a.rows]!);
  for (let r = 0; r < a.rows; r++) rows.fill(r, a.rowPtr[r]!, a.rowPtr[r + 1]!);
  return rows;
}

/** Edge weights of the symmetric normalisation D^−½ A D^−½ (degrees counted on `g`'s in-edges). */
export function symmetricNormWeights(g: Graph): Float32Array {
  const deg = inDegrees(g);
  const w = new Float32Array(g.src.length);
  for (let e = 0; e < w.length; e++) {
    const a = deg[g.src[e]!]!;
    const b = deg[g.dst[e]!]!;
    w[e] = a > 0 && b > 0 ? 1 / Math.sqrt(a * b) : 0;
  }
  return w;
}

/** Kipf & Welling's propagation matrix Â = D̃^−½ (A + I) D̃^−½ as CSR (self-loops added where missing). */
export function gcnAdjacency(g: Graph): Csr {
  const h = addSelfLoops(g);
  return toCsr(h, symmetricNormWeights(h));
}

/** Mean aggregation matrix D^−1 A (rows of isolated nodes are empty). */
export function meanAdjacency(g: Graph): Csr {
  const deg = inDegrees(g);
  return toCsr(
    g,
    Float32Array.from(g.dst, (d) => 1 / Math.max(1, deg[d]!)),
  );
}

/** Block-diagonal batch of graphs (node, edge and feature arrays concatenated, edge ids offset). */
export function batchGraphs(graphs: readonly Graph[]): GraphBatch {
  const numGraphs = graphs.length;
  const nodeOffsets = new Int32Array(numGraphs + 1);
  const edgeOffsets = new Int32Array(numGraphs + 1);
  graphs.forEach((g, i) => {
    nodeOffsets[i + 1] = nodeOffsets[i]! + g.numNodes;
    edgeOffsets[i + 1] = edgeOffsets[i]! + g.src.length;
  });
  const n = nodeOffsets[numGraphs]!;
  const m = edgeOffsets[numGraphs]!;
  const src = new Int32Array(m);
  const dst = new Int32Array(m);
  const graphOf = new Int32Array(n);
  graphs.forEach((g, i) => {
    const o = nodeOffsets[i]!;
    const eo = edgeOffsets[i]!;
    for (let e = 0; e < g.src.length; e++) {
      src[eo + e] = g.src[e]! + o;
      dst[eo + e] = g.dst[e]! + o;
    }
    graphOf.fill(i, o, o + g.numNodes);
  });
  const batch: GraphBatch = { numNodes: n, src, dst, numGraphs, graphOf, nodeOffsets, edgeOffsets };
  const x = concatFeatures(graphs, 'x', n);
  if (x) batch.x = x;
  const ea = concatFeatures(graphs, 'edgeAttr', m);
  if (ea) batch.edgeAttr = ea;
  const pos = concatFeatures(graphs, 'pos', n);
  if (pos) batch.pos = pos;
  return batch;
}

function concatFeatures(
  graphs: readonly Graph[],
  key: 'x' | 'edgeAttr' | 'pos',
  rows: number,
): Features | undefined {
  const present = graphs.filter((g) => g[key]);
  if (present.length === 0) return undefined;
  if (present.length !== graphs.length)
    throw new Error(`batchGraphs: some graphs have '${key}' and some do not; give it to all or none`);
  const dim = graphs[0]![key]!.dim;
  const data = new Float32Array(rows * dim);
  let at = 0;
  for (const [i, g] of graphs.entries()) {
    const f = g[key]!;
    if (f.dim !== dim)
      throw new Error(`batchGraphs: graph ${i} has '${key}' of width ${f.dim}, graph 0 of width ${dim}`);
    data.set(f.data, at);
    at += f.data.length;
  }
  return { data, dim };
}

/**
 * The subgraph induced by `nodes` (in the order given: local id i is global `nodes[i]`), with the global ids of
 * its edges. Features are carried over.
 */
export function inducedSubgraph(
  g: Graph,
  nodes: ArrayLike<number>,
): { graph: Graph; nodes: Int32Array; edges: Int32Array } {
  const local = new Int32Array(g.numNodes).fill(-1);
  const ids = Int32Array.from(nodes);
  ids.forEach((v, i) => {
    if (local[v] !== -1) throw new Error(`inducedSubgraph: node ${v} is listed twice`);
    local[v] = i;
  });
  const edges: number[] = [];
  for (let e = 0; e < g.src.length; e++) if (local[g.src[e]!]! >= 0 && local[g.dst[e]!]! >= 0) edges.push(e);
  const eIds = Int32Array.from(edges);
  const sub: Graph = {
    numNodes: ids.length,
    src: Int32Array.from(eIds, (e) => local[g.src[e]!]!),
    dst: Int32Array.from(eIds, (e) => local[g.dst[e]!]!),
  };
  if (g.x) sub.x = selectRows(g.x, ids);
  if (g.pos) sub.pos = selectRows(g.pos, ids);
  if (g.edgeAttr) sub.edgeAttr = selectRows(g.edgeAttr, eIds);
  return { graph: sub, nodes: ids, edges: eIds };
}

/** The rows `ids` of a feature matrix. */
export function selectRows(f: Features, ids: ArrayLike<number>): Features {
  const data = new Float32Array(ids.length * f.dim);
  for (let i = 0; i < ids.length; i++)
    data.set(f.data.subarray(ids[i]! * f.dim, (ids[i]! + 1) * f.dim), i * f.dim);
  return { data, dim: f.dim };
}

/** The graph with only the edges where `keep[e]` is true (features of kept edges carried over). */
export function filterEdges(g: Graph, keep: ArrayLike<boolean | number>): Graph {
  const ids: number[] = [];
  for (let e = 0; e < g.src.length; e++) if (keep[e]) ids.push(e);
  const out: Graph = {
    ...g,
    src: Int32Array.from(ids, (e) => g.src[e]!),
    dst: Int32Array.from(ids, (e) => g.dst[e]!),
  };
  if (g.edgeAttr) out.edgeAttr = selectRows(g.edgeAttr, ids);
  else delete out.edgeAttr;
  return out;
}

/**
 * Nodes within `hops` steps of `seeds` against the edge direction (the nodes whose messages reach the seeds
 * in `hops` rounds), seeds first, then by hop.
 */
export function kHopIn(g: Graph, seeds: ArrayLike<number>, hops: number): Int32Array {
  const csr = toCsr(g);
  const seen = new Uint8Array(g.numNodes);
  const out: number[] = [];
  for (let i = 0; i < seeds.length; i++) {
    const s = seeds[i]!;
    if (!seen[s]) {
      seen[s] = 1;
      out.push(s);
    }
  }
  let frontier = out.slice();
  for (let h = 0; h < hops && frontier.length; h++) {
    const next: number[] = [];
    for (const v of frontier)
      for (let k = csr.rowPtr[v]!; k < csr.rowPtr[v + 1]!; k++) {
        const u = csr.colIdx[k]!;
        if (!seen[u]) {
          seen[u] = 1;
          next.push(u);
          out.push(u);
        }
      }
    frontier = next;
  }
  return Int32Array.from(out);
}
