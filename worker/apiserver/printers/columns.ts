// Column definitions in the shape Tables carry them.
import type { ColumnDefinition } from './types'

export const col = (name: string, description: string, opts: { type?: ColumnDefinition['type']; format?: string; priority?: number } = {}): ColumnDefinition => ({
  name,
  type: opts.type ?? 'string',
  format: opts.format ?? '',
  description,
  priority: opts.priority ?? 0,
})

export const NAME = col('Name', 'Name must be unique within a namespace.', { format: 'name' })
export const AGE = col('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.')
export const wide = (name: string, description: string) => col(name, description, { priority: 1 })
export const joinOrNone = (xs: string[]) => (xs.length ? xs.join(',') : '<none>')

/** A LabelSelector as kubectl prints it: "app=web,tier in (a,b)". */
export function selectorString(sel: any): string {
  if (!sel) return '<none>'
  const parts: string[] = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`)
  for (const e of sel.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin' } as Record<string, string>)[e.operator]
    if (op) parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`)
    else if (e.operator === 'Exists') parts.push(e.key)
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`)
  }
  return parts.length ? parts.join(',') : '<none>'
}
