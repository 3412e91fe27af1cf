import type { KubectlEnv, KubectlIO } from './types'
export async function applyManifest(_text: string, _env: KubectlEnv, _io: KubectlIO): Promise<number> {
  return 1
}
