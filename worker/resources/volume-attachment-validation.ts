// Validation of storage.k8s.io/v1 VolumeAttachments (pkg/apis/storage/validation):
// an attacher named like a CSI driver, exactly one source, a node, and a spec
// that never changes once created.
import { type Cause, invalid, required, validateDNS1123Subdomain } from './validation'

type O = Record<string, any>

const EXACTLY_ONE = 'must specify exactly one of inlineVolumeSpec and persistentVolumeName'
const requiredWhy = (field: string, why: string): Cause => ({
  ...required(field),
  message: `Required value: ${why}`,
})

export function validateVolumeAttachment(va: O, old?: O): Cause[] {
  const out: Cause[] = []
  const spec = va.spec ?? {}
  if (!spec.attacher) out.push(required('spec.attacher'))
  else
    for (const c of validateDNS1123Subdomain('spec.attacher', String(spec.attacher).toLowerCase()))
      out.push({
        ...c,
        message: c.message.replace(
          JSON.stringify(String(spec.attacher).toLowerCase()),
          JSON.stringify(spec.attacher),
        ),
      })
  const source = spec.source ?? {}
  const hasPV = source.persistentVolumeName !== undefined && source.persistentVolumeName !== null
  const hasInline = source.inlineVolumeSpec !== undefined && source.inlineVolumeSpec !== null
  if (!hasPV && !hasInline) out.push(requiredWhy('spec.source', EXACTLY_ONE))
  else if (hasPV && hasInline)
    out.push({
      type: 'FieldValueForbidden',
      field: 'spec.source',
      message: `Forbidden: ${EXACTLY_ONE}`,
    })
  else if (hasPV && !source.persistentVolumeName)
    out.push(
      requiredWhy(
        'spec.source.persistentVolumeName',
        'must specify non empty persistentVolumeName',
      ),
    )
  if (!spec.nodeName) out.push(required('spec.nodeName'))
  else out.push(...validateDNS1123Subdomain('spec.nodeName', String(spec.nodeName)))
  if (old && JSON.stringify(old.spec) !== JSON.stringify(va.spec))
    out.push(invalid('spec', va.spec, 'field is immutable'))
  return out
}
