import { describe, expect, it } from 'vitest'
import { printers } from './index'

describe('VolumeAttachment printer', () => {
  it('prints NAME ATTACHER PV NODE ATTACHED AGE', () => {
    const p = printers['storage.k8s.io/volumeattachments']!
    expect(p.columns.map((c) => c.name)).toEqual([
      'Name',
      'Attacher',
      'PV',
      'Node',
      'Attached',
      'Age',
    ])
    const now = Date.parse('2026-01-01T00:01:30Z')
    const va = {
      metadata: { name: 'csi-abc', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: {
        attacher: 'pd.csi.wheelhouse.dev',
        nodeName: 'worker-2',
        source: { persistentVolumeName: 'pvc-1' },
      },
      status: { attached: true },
    }
    expect(p.row(va, now)).toEqual([
      'csi-abc',
      'pd.csi.wheelhouse.dev',
      'pvc-1',
      'worker-2',
      true,
      '90s',
    ])
  })
})
