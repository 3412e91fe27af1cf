// core/v1 Volume and its sources: the ones a simulated cluster meets in
// practice (emptyDir, configMap, secret, projected, PVC, hostPath, downwardAPI,
// nfs, csi, ephemeral).
import { LabelSelector, ObjectMeta, Quantity, quantityMap } from './meta'
import { ObjectFieldSelector, ResourceFieldSelector } from './container'
import { atomicList, atomicStrList, bool, def, int32, int64, obj, ref, str, strMap } from './t'

const C = 'io.k8s.api.core.v1.'

export const LocalObjectReference = def(
  C + 'LocalObjectReference',
  obj(
    'A reference to an object in the same namespace, by name.',
    { name: str('Name of the referent.') },
    [],
    {
      'x-kubernetes-map-type': 'atomic',
    },
  ),
)
export const HostPathVolumeSource = def(
  C + 'HostPathVolumeSource',
  obj(
    'A file or directory on the host node.',
    {
      path: str('Path on the host.'),
      type: str(
        'Expected type: "", DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice, BlockDevice.',
      ),
    },
    ['path'],
  ),
)
export const NFSVolumeSource = def(
  C + 'NFSVolumeSource',
  obj(
    'An NFS mount.',
    { server: str('NFS server.'), path: str('Exported path.'), readOnly: bool('Mount read-only.') },
    ['server', 'path'],
  ),
)

export const KeyToPath = def(
  C + 'KeyToPath',
  obj(
    'Maps a key to a path within a volume.',
    {
      key: str('The key to project.'),
      path: str('Relative path of the file to map the key to.'),
      mode: int32('Mode bits of the file, 0000 to 0777.'),
    },
    ['key', 'path'],
  ),
)
const keyed = (what: string, nameField: string, extra: object = {}) =>
  obj(`Adapts a ${what} into a volume: each key becomes a file.`, {
    [nameField]: str(`Name of the ${what}.`),
    items: atomicList(KeyToPath, 'Keys to project, and their paths; all keys if empty.'),
    optional: bool(`Whether the ${what} or its keys must exist.`),
    ...extra,
  })
export const ConfigMapVolumeSource = def(
  C + 'ConfigMapVolumeSource',
  keyed('ConfigMap', 'name', {
    defaultMode: int32('Mode bits of created files; 0644 by default.'),
  }),
)
export const SecretVolumeSource = def(
  C + 'SecretVolumeSource',
  keyed('Secret', 'secretName', {
    defaultMode: int32('Mode bits of created files; 0644 by default.'),
  }),
)
export const DownwardAPIVolumeFile = def(
  C + 'DownwardAPIVolumeFile',
  obj(
    'A file holding a pod field.',
    {
      path: str('Relative path of the file.'),
      fieldRef: ref(ObjectFieldSelector, 'A pod field.'),
      resourceFieldRef: ref(ResourceFieldSelector, 'A container resource.'),
      mode: int32('Mode bits of the file.'),
    },
    ['path'],
  ),
)
export const DownwardAPIVolumeSource = def(
  C + 'DownwardAPIVolumeSource',
  obj('Pod fields exposed as files.', {
    items: atomicList(DownwardAPIVolumeFile, 'The files.'),
    defaultMode: int32('Mode bits of created files.'),
  }),
)
export const ProjectedVolumeSource = def(
  C + 'ProjectedVolumeSource',
  obj('Several volume sources projected into one directory.', {
    sources: atomicList(
      def(
        C + 'VolumeProjection',
        obj('One projected source.', {
          configMap: ref(
            def(C + 'ConfigMapProjection', keyed('ConfigMap', 'name')),
            'A ConfigMap.',
          ),
          secret: ref(def(C + 'SecretProjection', keyed('Secret', 'name')), 'A Secret.'),
          downwardAPI: ref(
            def(
              C + 'DownwardAPIProjection',
              obj('Pod fields.', { items: atomicList(DownwardAPIVolumeFile) }),
            ),
            'Pod fields.',
          ),
          serviceAccountToken: ref(
            def(
              C + 'ServiceAccountTokenProjection',
              obj(
                'A service account token.',
                {
                  audience: str('Intended audience of the token.'),
                  expirationSeconds: int64('Requested lifetime; 1 hour by default.'),
                  path: str('Relative path of the token file.'),
                },
                ['path'],
              ),
            ),
            'A service account token.',
          ),
        }),
      ),
      'The sources.',
    ),
    defaultMode: int32('Mode bits of created files.'),
  }),
)

export const PersistentVolumeClaimSpec = def(
  C + 'PersistentVolumeClaimSpec',
  obj('Desired characteristics of a volume requested by a claim.', {
    accessModes: atomicStrList(
      'Desired access modes: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.',
    ),
    selector: ref(LabelSelector, 'Label query over volumes to consider for binding.'),
    resources: ref(
      def(
        C + 'VolumeResourceRequirements',
        obj('Storage resources requested.', {
          limits: quantityMap('Maximum resources.'),
          requests: quantityMap('Minimum resources, e.g. storage: 1Gi.'),
        }),
      ),
      'Minimum resources the volume should have.',
    ),
    volumeName: str('Binding reference to the PersistentVolume backing this claim.'),
    storageClassName: str('Name of the StorageClass required by the claim.'),
    volumeMode: str('Filesystem (default) or Block.'),
    volumeAttributesClassName: str('VolumeAttributesClass used by the claim.'),
  }),
)

export const Volume = def(
  C + 'Volume',
  obj(
    'A named volume in a pod that any container in the pod may mount.',
    {
      name: str('Name of the volume, a DNS label unique within the pod.'),
      emptyDir: ref(
        def(
          C + 'EmptyDirVolumeSource',
          obj('A temporary directory that shares the pod lifetime.', {
            medium: str('Storage medium: "" (node default) or "Memory".'),
            sizeLimit: ref(Quantity, 'Total amount of local storage allowed.'),
          }),
        ),
        'A temporary directory sharing the pod lifetime.',
      ),
      configMap: ref(ConfigMapVolumeSource, 'A ConfigMap to populate the volume.'),
      secret: ref(SecretVolumeSource, 'A Secret to populate the volume.'),
      projected: ref(ProjectedVolumeSource, 'Several sources projected together.'),
      downwardAPI: ref(DownwardAPIVolumeSource, 'Pod fields as files.'),
      persistentVolumeClaim: ref(
        def(
          C + 'PersistentVolumeClaimVolumeSource',
          obj(
            'A reference to a PersistentVolumeClaim in the same namespace.',
            { claimName: str('Name of the claim.'), readOnly: bool('Force read-only.') },
            ['claimName'],
          ),
        ),
        'A PersistentVolumeClaim in the same namespace.',
      ),
      hostPath: ref(HostPathVolumeSource, 'A directory on the host node.'),
      nfs: ref(NFSVolumeSource, 'An NFS mount.'),
      csi: ref(
        def(
          C + 'CSIVolumeSource',
          obj(
            'An ephemeral volume from a CSI driver.',
            {
              driver: str('Name of the CSI driver.'),
              readOnly: bool('Read-only.'),
              fsType: str('Filesystem type.'),
              volumeAttributes: strMap('Driver-specific properties.'),
              nodePublishSecretRef: ref(LocalObjectReference, 'Secret passed to the driver.'),
            },
            ['driver'],
          ),
        ),
        'A CSI ephemeral volume.',
      ),
      ephemeral: ref(
        def(
          C + 'EphemeralVolumeSource',
          obj('A volume with a claim created for and deleted with the pod.', {
            volumeClaimTemplate: ref(
              def(
                C + 'PersistentVolumeClaimTemplate',
                obj(
                  'Template of the claim.',
                  { metadata: ObjectMeta, spec: PersistentVolumeClaimSpec },
                  ['spec'],
                ),
              ),
              'Template of the claim.',
            ),
          }),
        ),
        'A generic ephemeral volume.',
      ),
    },
    ['name'],
  ),
)
