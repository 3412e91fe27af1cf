// Server-side Tables for kubectl get (meta.k8s.io/v1 Table).
import type { KindInfo } from '../resources/kind'
import { printers } from './printers'
import type { ColumnDefinition, Printer } from './printers/types'
import type { Obj } from './objects'

/** Upstream's generic columns for kinds without a printer (apiserver registry/rest/table.go). */
const defaultPrinter: Printer = {
  columns: [
    { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
    { name: 'Created At', type: 'date', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0 },
  ],
  row: (o) => [o.metadata?.name, o.metadata?.creationTimestamp],
}

export function printerFor(k: KindInfo): Printer {
  return printers[`${k.group}/${k.resource}`] ?? defaultPrinter
}

export function partialMetadata(o: Obj, version: string) {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: o.metadata }
}

export function toTable(k: KindInfo, objs: Obj[], now: number, opts: { resourceVersion?: string; continue?: string; version: string; includeObject: string; withColumns?: boolean; remainingItemCount?: number }) {
  const p = printerFor(k)
  const table: Record<string, unknown> = {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.version}`,
    metadata: { resourceVersion: opts.resourceVersion ?? '', ...(opts.continue ? { continue: opts.continue } : {}) },
    columnDefinitions: opts.withColumns === false ? null : (p.columns as ColumnDefinition[]),
    rows: objs.map((o) => ({
      cells: p.row(o, now),
      object: opts.includeObject === 'None' ? undefined : opts.includeObject === 'Object' ? o : partialMetadata(o, opts.version),
    })),
  }
  return table
}
