import { describe, expect, it } from 'vitest'
import { validateVolumeAttachment } from './volume-attachment-validation'

const va = (spec: Record<string, any>) => ({ metadata: { name: 'csi-1' }, spec })
const good = {
  attacher: 'pd.csi.wheelhouse.dev',
  nodeName: 'worker-1',
  source: { persistentVolumeName: 'pv-1' },
}

describe('validateVolumeAttachment', () => {
  const cases = [
    { name: 'a complete attachment', spec: good, want: [] },
    {
      name: 'no attacher, no node',
      spec: { source: { persistentVolumeName: 'pv-1' } },
      want: ['spec.attacher: Required value', 'spec.nodeName: Required value'],
    },
    {
      name: 'no source',
      spec: { ...good, source: {} },
      want: [
        'spec.source: Required value: must specify exactly one of inlineVolumeSpec and persistentVolumeName',
      ],
    },
    {
      name: 'both sources',
      spec: { ...good, source: { persistentVolumeName: 'pv-1', inlineVolumeSpec: {} } },
      want: [
        'spec.source: Forbidden: must specify exactly one of inlineVolumeSpec and persistentVolumeName',
      ],
    },
    {
      name: 'an empty PV name',
      spec: { ...good, source: { persistentVolumeName: '' } },
      want: [
        'spec.source.persistentVolumeName: Required value: must specify non empty persistentVolumeName',
      ],
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      expect(validateVolumeAttachment(va(c.spec)).map((x) => `${x.field}: ${x.message}`)).toEqual(
        c.want,
      )
    })

  it('keeps the spec immutable', () => {
    const moved = va({ ...good, nodeName: 'worker-2' })
    expect(validateVolumeAttachment(moved, va(good)).map((x) => x.field)).toEqual(['spec'])
    expect(validateVolumeAttachment(va(good), va(good))).toEqual([])
  })
})
