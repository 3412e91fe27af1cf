// VolumeAttachments in `kubectl get`: upstream's columns (printers.go), the
// descriptions from the API's field docs.
import { AGE, col, NAME } from './columns'
import { since } from './duration'
import type { Printer } from './types'

export const volumeAttachmentPrinter: Printer = {
  columns: [
    NAME,
    col(
      'Attacher',
      'attacher indicates the name of the volume driver that MUST handle this request. This is the name returned by GetPluginName().',
      { format: 'name' },
    ),
    col('PV', 'persistentVolumeName represents the name of the persistent volume to attach.'),
    col('Node', 'nodeName represents the node that the volume should be attached to.'),
    col(
      'Attached',
      'attached indicates the volume is successfully attached. This field must only be set by the entity completing the attach operation, i.e. the external-attacher.',
      { type: 'boolean' },
    ),
    AGE,
  ],
  row: (o, now) => [
    o.metadata.name,
    o.spec?.attacher ?? '',
    o.spec?.source?.persistentVolumeName ?? '',
    o.spec?.nodeName ?? '',
    o.status?.attached ?? false,
    since(o.metadata.creationTimestamp, now),
  ],
}
