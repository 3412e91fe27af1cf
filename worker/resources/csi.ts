// CSI volumes' names as Kubernetes spells them: the unique volume name the
// attach/detach controller and the kubelet report in a Node's status
// (volumesAttached, volumesInUse), and the VolumeAttachment name the CSI
// attacher derives (csi_attacher.go's getAttachmentName).
type O = Record<string, any>

/** The in-tree plugin name CSI volumes are reported under. */
export const CSI_PLUGIN_NAME = 'kubernetes.io/csi'

/** "kubernetes.io/csi/<driver>^<volumeHandle>". */
export const uniqueVolumeName = (driver: string, volumeHandle: string) =>
  `${CSI_PLUGIN_NAME}/${driver}^${volumeHandle}`

/** A PV's unique name, when it is a CSI volume. */
export function pvUniqueName(pv: O): string | undefined {
  const csi = pv.spec?.csi
  return csi?.driver && csi.volumeHandle
    ? uniqueVolumeName(csi.driver, csi.volumeHandle)
    : undefined
}

/** "csi-" + hex SHA-256 of volumeHandle + driver + node, as the CSI attacher names its VolumeAttachments. */
export const attachmentName = (volumeHandle: string, driver: string, node: string) =>
  `csi-${toHex(sha256(`${volumeHandle}${driver}${node}`))}`

const toHex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('')

// SHA-256 (FIPS 180-4), synchronous because controllers' syncs are; inputs are short.
const ROUND = Uint32Array.from(
  [
    '428a2f98 71374491 b5c0fbcf e9b5dba5 3956c25b 59f111f1 923f82a4 ab1c5ed5',
    'd807aa98 12835b01 243185be 550c7dc3 72be5d74 80deb1fe 9bdc06a7 c19bf174',
    'e49b69c1 efbe4786 0fc19dc6 240ca1cc 2de92c6f 4a7484aa 5cb0a9dc 76f988da',
    '983e5152 a831c66d b00327c8 bf597fc7 c6e00bf3 d5a79147 06ca6351 14292967',
    '27b70a85 2e1b2138 4d2c6dfc 53380d13 650a7354 766a0abb 81c2c92e 92722c85',
    'a2bfe8a1 a81a664b c24b8b70 c76c51a3 d192e819 d6990624 f40e3585 106aa070',
    '19a4c116 1e376c08 2748774c 34b0bcb5 391c0cb3 4ed8aa4a 5b9cca4f 682e6ff3',
    '748f82ee 78a5636f 84c87814 8cc70208 90befffa a4506ceb bef9a3f7 c67178f2',
  ]
    .join(' ')
    .split(' ')
    .map((x) => parseInt(x, 16)),
)
const INITIAL = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]

const ror = (x: number, n: number) => (x >>> n) | (x << (32 - n))

export function sha256(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text)
  const padded = new Uint8Array(Math.ceil((bytes.length + 9) / 64) * 64)
  padded.set(bytes)
  padded[bytes.length] = 0x80
  const dv = new DataView(padded.buffer)
  const bits = bytes.length * 8
  dv.setUint32(padded.length - 8, Math.floor(bits / 2 ** 32))
  dv.setUint32(padded.length - 4, bits >>> 0)
  const state = [...INITIAL]
  const w = new Uint32Array(64)
  for (let block = 0; block < padded.length; block += 64) {
    for (let t = 0; t < 64; t++) {
      if (t < 16) w[t] = dv.getUint32(block + 4 * t)
      else {
        const x = w[t - 15]!
        const y = w[t - 2]!
        const sigma0 = ror(x, 7) ^ ror(x, 18) ^ (x >>> 3)
        const sigma1 = ror(y, 17) ^ ror(y, 19) ^ (y >>> 10)
        w[t] = (w[t - 16]! + sigma0 + w[t - 7]! + sigma1) >>> 0
      }
    }
    const v = [...state] as [number, number, number, number, number, number, number, number]
    for (let t = 0; t < 64; t++) {
      const [a, b, c, d, e, f, g, h] = v
      const temp1 =
        (h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + ROUND[t]! + w[t]!) >>> 0
      const temp2 = ((ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0
      v[7] = g
      v[6] = f
      v[5] = e
      v[4] = (d + temp1) >>> 0
      v[3] = c
      v[2] = b
      v[1] = a
      v[0] = (temp1 + temp2) >>> 0
    }
    for (let i = 0; i < 8; i++) state[i] = (state[i]! + v[i]!) >>> 0
  }
  const out = new Uint8Array(32)
  const odv = new DataView(out.buffer)
  state.forEach((x, i) => odv.setUint32(4 * i, x))
  return out
}
