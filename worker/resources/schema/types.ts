// TypeScript types of the kinds, derived from the same TypeBox schemas that
// validate them and feed OpenAPI.
import type { Static } from '@sinclair/typebox'
import type * as apps from './apps'
import type * as core from './core'
import type * as meta from './meta'
import type * as node from './node'
import type * as others from './others'
import type * as pod from './pod'
import type * as service from './service'

export type ObjectMeta = Static<typeof meta.ObjectMeta>
export type LabelSelector = Static<typeof meta.LabelSelector>
export type OwnerReference = Static<typeof meta.OwnerReference>
export type Pod = Static<typeof pod.Pod>
export type PodSpec = Static<typeof pod.PodSpec>
export type PodStatus = Static<typeof pod.PodStatus>
export type PodTemplateSpec = Static<typeof pod.PodTemplateSpec>
export type Node = Static<typeof node.Node>
export type Namespace = Static<typeof node.Namespace>
export type Service = Static<typeof service.Service>
export type Endpoints = Static<typeof service.Endpoints>
export type ConfigMap = Static<typeof core.ConfigMap>
export type Secret = Static<typeof core.Secret>
export type Event = Static<typeof core.Event>
export type Deployment = Static<typeof apps.Deployment>
export type ReplicaSet = Static<typeof apps.ReplicaSet>
export type Scale = Static<typeof apps.Scale>
export type Clock = Static<typeof others.Clock>
