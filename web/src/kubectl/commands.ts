// The command table, in kubectl's order (which cobra's "Did you mean this?"
// follows), and `kubectl help`. Commands that need a real shell, editor or
// connection to a container say so instead of pretending.
import { applyCommand } from './apply'
import { authCommand } from './auth'
import { configCommand } from './config'
import { topCommand } from './top'
import type { Command } from './context'
import { createCommand } from './create'
import { deleteCommand } from './delete'
import { explainCommand } from './explain'
import { exposeCommand } from './expose'
import { setCommand } from './set'
import { cordonCommandDef, drainCommand, uncordonCommandDef } from './drain'
import { taintCommand } from './taint'
import { annotateCommand, labelCommand } from './label'
import { logsCommand } from './logs'
import { rolloutCommand } from './rollout'
import { scaleCommand } from './scale'
import { RawError } from './errors'
import { describeCommand } from './describe/index'
import { getCommand } from './get'
import { apiResourcesCommand, apiVersionsCommand, clusterInfoCommand, versionCommand } from './info'

const unavailable = (name: string, short: string, why: string): Command => ({
  name,
  short,
  flags: [],
  async run() {
    throw new RawError(`error: "kubectl ${name}" is not available in this browser terminal: ${why}`)
  },
})

/** Every kubectl command, grouped as `kubectl help` shows them. */
export const GROUPS: { title: string; commands: Command[] }[] = [
  {
    title: 'Basic Commands (Beginner)',
    commands: [getCommand, describeCommand],
  },
]

export const commands: Command[] = [
  ...GROUPS.flatMap((g) => g.commands),
  versionCommand,
  apiVersionsCommand,
  apiResourcesCommand,
  clusterInfoCommand,
  applyCommand,
  createCommand,
  deleteCommand,
  scaleCommand,
  rolloutCommand,
  logsCommand,
  labelCommand,
  annotateCommand,
  taintCommand,
  cordonCommandDef,
  uncordonCommandDef,
  drainCommand,
  exposeCommand,
  setCommand,
  explainCommand,
  authCommand,
  configCommand,
  topCommand,
  unavailable('exec', 'Execute a command in a container', 'containers here are simulated and have no shell'),
]

export function rootHelp(): string {
  let s = 'kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\n'
  for (const g of GROUPS) {
    s += `${g.title}:\n`
    for (const c of g.commands) s += `  ${c.name.padEnd(16)}${c.short}\n`
    s += '\n'
  }
  s += 'Usage:\n  kubectl [flags] [options]\n\nUse "kubectl <command> --help" for more information about a given command.\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n'
  return s
}
