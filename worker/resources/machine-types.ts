// The simulated cloud's offering: one region of three zones and a few machine
// shapes, named in the style of the big clouds' families (standard, highmem,
// highcpu). Every node pool, the seed and the kubelet's capacity read these.

export const REGION = 'region-1'
export const ZONES = ['zone-a', 'zone-b', 'zone-c'] as const

export interface MachineType {
  cpu: number
  /** A memory quantity, as in a Node's capacity. */
  memory: string
  pods: number
}

export const MACHINE_TYPES: Record<string, MachineType> = {
  'standard-2': { cpu: 2, memory: '8Gi', pods: 110 },
  'standard-4': { cpu: 4, memory: '16Gi', pods: 110 },
  'standard-8': { cpu: 8, memory: '32Gi', pods: 110 },
  'highmem-4': { cpu: 4, memory: '32Gi', pods: 110 },
  'highcpu-4': { cpu: 4, memory: '4Gi', pods: 110 },
}

export const DEFAULT_MACHINE_TYPE = 'standard-4'

/** The value of the kubelet's capacity annotation (sim.wheelhouse.dev/capacity) for a shape. */
export function capacityOf(machineType: string): string | undefined {
  const m = MACHINE_TYPES[machineType]
  return m && `cpu=${m.cpu},memory=${m.memory},pods=${m.pods}`
}
