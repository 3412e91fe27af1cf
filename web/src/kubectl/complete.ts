import type { KubectlEnv } from './types'
export async function complete(_line: string, _cursor: number, _env: KubectlEnv): Promise<string[]> {
  return []
}
