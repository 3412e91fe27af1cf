// The default-scheduler profile: upstream's default filter and score plugins, in order, with their
// weights, and its one PreBind plugin that waits (VolumeBinding; DefaultBinder is writeBinding).
import { DEFAULT_FILTER_PLUGINS } from './plugins/filters'
import { DEFAULT_SCORE_PLUGINS } from './plugins/score'
import { VolumeBinding } from './plugins/volume-binding/volume-binding'
import type { Profile } from './schedule-one'

export const defaultProfile = (): Profile => ({
  filters: DEFAULT_FILTER_PLUGINS,
  scores: DEFAULT_SCORE_PLUGINS,
  preBind: [VolumeBinding],
})
