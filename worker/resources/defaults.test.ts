import { describe, expect, it } from 'vitest'
import { defaultTolerationSeconds } from './defaults'

const NOT_READY = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }
const UNREACHABLE = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }

// The DefaultTolerationSeconds admission plugin (plugin/pkg/admission/defaulttolerationseconds).
describe('defaultTolerationSeconds', () => {
  it.each([
    { name: 'none: both added, not-ready first', tolerations: undefined, want: [NOT_READY, UNREACHABLE] },
    { name: 'one of them: the other added', tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 6 }], want: [{ ...UNREACHABLE, tolerationSeconds: 6 }, NOT_READY] },
    { name: 'an empty key tolerates both', tolerations: [{ operator: 'Exists' }], want: [{ operator: 'Exists' }] },
    { name: 'a key without an effect tolerates NoExecute', tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }], want: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }, UNREACHABLE] },
    { name: 'a NoSchedule toleration is not one', tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }], want: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }, NOT_READY, UNREACHABLE] },
  ])('$name', ({ tolerations, want }) => {
    const spec: Record<string, any> = tolerations ? { tolerations: structuredClone(tolerations) } : {}
    defaultTolerationSeconds(spec)
    expect(spec.tolerations).toEqual(want)
  })
})
