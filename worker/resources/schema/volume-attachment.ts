// storage.k8s.io/v1 VolumeAttachment: the attach/detach controller's request
// that a CSI driver attach a volume to a node, and the external-attacher's
// answer in its status (cluster-scoped, as upstream's).
import { Type } from '@sinclair/typebox'
import { Time, metadataField, typeMeta } from './meta'
import { bool, def, int32, obj, ref, str, strMap } from './t'

const S = 'io.k8s.api.storage.v1.'

const VolumeError = def(
  S + 'VolumeError',
  obj('VolumeError captures an error encountered during a volume operation.', {
    message: str(
      'message represents the error encountered during Attach or Detach operation. This string may be logged, so it should not contain sensitive information.',
    ),
    time: ref(Time, 'time represents the time the error was encountered.'),
    errorCode: int32(
      'errorCode is a numeric gRPC code representing the error encountered during Attach or Detach operations.',
    ),
  }),
)

const VolumeAttachmentSource = def(
  S + 'VolumeAttachmentSource',
  obj(
    'VolumeAttachmentSource represents a volume that should be attached. Right now only PersistentVolumes can be attached via external attacher, in the future we may allow also inline volumes in pods. Exactly one member can be set.',
    {
      persistentVolumeName: str(
        'persistentVolumeName represents the name of the persistent volume to attach.',
      ),
      inlineVolumeSpec: Type.Unknown({
        description:
          "inlineVolumeSpec contains all the information necessary to attach a persistent volume defined by a pod's inline VolumeSource (a PersistentVolumeSpec).",
      }),
    },
  ),
)

const VolumeAttachmentSpec = def(
  S + 'VolumeAttachmentSpec',
  obj(
    'VolumeAttachmentSpec is the specification of a VolumeAttachment request.',
    {
      attacher: str(
        'attacher indicates the name of the volume driver that MUST handle this request. This is the name returned by GetPluginName().',
      ),
      source: ref(VolumeAttachmentSource, 'source represents the volume that should be attached.'),
      nodeName: str('nodeName represents the node that the volume should be attached to.'),
    },
    ['attacher', 'source', 'nodeName'],
  ),
)

const VolumeAttachmentStatus = def(
  S + 'VolumeAttachmentStatus',
  obj(
    'VolumeAttachmentStatus is the status of a VolumeAttachment request.',
    {
      attached: bool(
        'attached indicates the volume is successfully attached. This field must only be set by the entity completing the attach operation, i.e. the external-attacher.',
      ),
      attachmentMetadata: strMap(
        'attachmentMetadata is populated with any information returned by the attach operation, upon successful attach, that must be passed into subsequent WaitForAttach or Mount calls. This field must only be set by the entity completing the attach operation, i.e. the external-attacher.',
      ),
      attachError: ref(
        VolumeError,
        'attachError represents the last error encountered during attach operation, if any. This field must only be set by the entity completing the attach operation, i.e. the external-attacher.',
      ),
      detachError: ref(
        VolumeError,
        'detachError represents the last error encountered during detach operation, if any. This field must only be set by the entity completing the detach operation, i.e. the external-attacher.',
      ),
    },
    ['attached'],
  ),
)

export const VolumeAttachment = def(
  S + 'VolumeAttachment',
  obj(
    'VolumeAttachment captures the intent to attach or detach the specified volume to/from the specified node.\n\nVolumeAttachment objects are non-namespaced.',
    {
      ...typeMeta,
      metadata: metadataField,
      spec: ref(
        VolumeAttachmentSpec,
        'spec represents specification of the desired attach/detach volume behavior. Populated by the Kubernetes system.',
      ),
      status: ref(
        VolumeAttachmentStatus,
        'status represents status of the VolumeAttachment request. Populated by the entity completing the attach or detach operation, i.e. the external-attacher.',
      ),
    },
    ['spec'],
  ),
)
