/** Scalar names with their standard errors: `WithSem<'gap'>` is `'gap' | 'gap_sem'`. */
export type WithSem<K extends string> = K | `${K}_sem`;
