// Server-side printing: the columns `kubectl get` shows for a kind, and one row per object.

export interface ColumnDefinition {
  name: string
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date'
  format: string
  description: string
  /** 0 = always shown; 1 = only with -o wide. */
  priority: number
}

export interface Printer {
  /** The first column is always Name. */
  columns: ColumnDefinition[]
  /** The cells of one row, in column order. `now` is the cluster's simulated time in ms. */
  row(obj: any, now: number): unknown[]
}
