import { describe, expect, it } from 'vitest'
import { attachmentName, pvUniqueName, sha256, uniqueVolumeName } from './csi'

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('')

describe('CSI names', () => {
  it('hashes with SHA-256 (FIPS 180-4 vectors, one and two blocks)', () => {
    expect(hex(sha256('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
    expect(hex(sha256('a'.repeat(100)))).toBe(
      '2816597888e4a0d3a36b82b83316ab32680eb8f00f8cd3b904d681246d285a0e',
    )
  })

  it('names a VolumeAttachment csi-<sha256(handle+driver+node)>', () => {
    expect(
      attachmentName(
        'projects/wheelhouse/zones/zone-b/disks/pvc-1',
        'pd.csi.wheelhouse.dev',
        'worker-2',
      ),
    ).toBe('csi-0bd7c5da20eafb19c1c5aa14d66d86252aebcc0d87f20b12793e55ae5dcefcb9')
  })

  it('names CSI volumes kubernetes.io/csi/<driver>^<handle>', () => {
    expect(uniqueVolumeName('pd.csi.wheelhouse.dev', 'disk-1')).toBe(
      'kubernetes.io/csi/pd.csi.wheelhouse.dev^disk-1',
    )
    expect(pvUniqueName({ spec: { csi: { driver: 'd', volumeHandle: 'h' } } })).toBe(
      'kubernetes.io/csi/d^h',
    )
    expect(pvUniqueName({ spec: { hostPath: { path: '/x' } } })).toBeUndefined()
  })
})
