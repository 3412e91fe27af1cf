import { describe, expect, it } from 'vitest'
import {
  add,
  addLists,
  equals,
  format,
  fromWire,
  lessThanOrEqual,
  milliValue,
  parse,
  prettyPrint,
  subtractNonNegative,
  toWire,
  value,
} from './resource-list'

describe('canonical quantity strings (resource.Quantity.String)', () => {
  const cases: { in: string | number; want: string }[] = [
    { in: '500m', want: '500m' },
    { in: '0.5', want: '500m' },
    { in: '1.5', want: '1500m' },
    { in: '2', want: '2' },
    { in: 2, want: '2' },
    { in: '1000', want: '1k' },
    { in: '1500', want: '1500' },
    { in: '2000000', want: '2M' },
    { in: '1Gi', want: '1Gi' },
    { in: '1024Mi', want: '1Gi' },
    { in: '1536Mi', want: '1536Mi' },
    { in: '0.5Gi', want: '512Mi' },
    { in: '1025', want: '1025' },
    { in: '1Ki', want: '1Ki' },
    // Binary values under 1024 read as decimal, as upstream.
    { in: '0.5Ki', want: '512' },
    { in: '1G', want: '1G' },
    { in: '1e3', want: '1e3' },
    { in: '0', want: '0' },
    { in: '100u', want: '100u' },
    { in: '20Gi', want: '20Gi' },
  ]
  for (const c of cases)
    it(`${c.in} → ${c.want}`, () => {
      expect(format(parse(c.in)!)).toBe(c.want)
    })

  it('leaves out what does not parse', () => {
    expect(parse('lots')).toBeUndefined()
    expect(fromWire({ cpu: 'lots', memory: '1Gi' })).toEqual({ memory: parse('1Gi') })
  })
})

describe('arithmetic', () => {
  it('adds cpu exactly (no float drift)', () => {
    const sum = ['100m', '100m', '100m'].map((q) => parse(q)!).reduce(add)
    expect(format(sum)).toBe('300m')
    expect(format(add(parse('0.1')!, parse('0.2')!))).toBe('300m')
  })
  it('keeps the first non-zero format, as Quantity.Add', () => {
    expect(format(add(parse('128Mi')!, parse('128Mi')!))).toBe('256Mi')
    expect(format(add(parse('0')!, parse('128Mi')!))).toBe('128Mi')
    // 128Mi + 500M is no whole number of Ki: printed as bytes.
    expect(format(add(parse('128Mi')!, parse('500M')!))).toBe('634217728')
    expect(format(add(parse('500M')!, parse('500M')!))).toBe('1G')
  })
  it('rounds milli and whole values up, as MilliValue and Value', () => {
    expect(milliValue(parse('100u')!)).toBe(1n)
    expect(value(parse('1500m')!)).toBe(2n)
    expect(value(parse('2')!)).toBe(2n)
  })
  it('subtracts without going below zero, keeping keys of both', () => {
    const d = subtractNonNegative(
      fromWire({ cpu: '1', pods: '1' }),
      fromWire({ cpu: '2', memory: '1Gi' }),
    )
    expect(toWire(d)).toEqual({ cpu: '0', memory: '0', pods: '1' })
  })
  it('compares lists by value whatever the format', () => {
    expect(equals(fromWire({ memory: '1Gi' }), fromWire({ memory: '1024Mi' }))).toBe(true)
    expect(equals(fromWire({ cpu: '1' }), fromWire({ cpu: '1000m', pods: '0' }))).toBe(false)
  })
  it('names the resources of a that exceed b, ignoring those b has not', () => {
    const used = fromWire({ pods: '6', 'requests.cpu': '1', services: '100' })
    expect(lessThanOrEqual(used, fromWire({ pods: '5', 'requests.cpu': '2' }))).toEqual(['pods'])
  })
  it('prints sorted name=value pairs', () => {
    const l = addLists(
      fromWire({ pods: '1' }),
      fromWire({ 'requests.cpu': '500m', 'limits.memory': '1Gi' }),
    )
    expect(prettyPrint(l)).toBe('limits.memory=1Gi,pods=1,requests.cpu=500m')
  })
})
