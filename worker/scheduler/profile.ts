// The default-scheduler profile: upstream's default filter and score plugins, in order, with their weights.
import { DEFAULT_FILTER_PLUGINS } from './plugins/filters'
import { DEFAULT_SCORE_PLUGINS } from './plugins/score'
import type { Profile } from './schedule-one'

export const defaultProfile = (): Profile => ({
  filters: DEFAULT_FILTER_PLUGINS,
  scores: DEFAULT_SCORE_PLUGINS,
})
