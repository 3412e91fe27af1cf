// The command table, in kubectl's order (which cobra's "Did you mean this?"
// follows), and `kubectl help`. Commands that need a real shell, an editor, a
// local file or a connection into a container say so instead of pretending.
import { applyCommand } from './apply'
import { authCommand } from './auth'
import { configCommand } from './config'
import type { Command } from './context'
import { createCommand } from './create'
import { deleteCommand } from './delete'
import { describeCommand } from './describe/index'
import { cordonCommandDef, drainCommand, uncordonCommandDef } from './drain'
import { RawError } from './errors'
import { explainCommand } from './explain'
import { exposeCommand } from './expose'
import { getCommand } from './get'
import { apiResourcesCommand, apiVersionsCommand, clusterInfoCommand, versionCommand } from './info'
import { annotateCommand, labelCommand } from './label'
import { logsCommand } from './logs'
import { rolloutCommand } from './rollout'
import { patchCommand, runCommand } from './run-patch'
import { scaleCommand } from './scale'
import { setCommand } from './set'
import { taintCommand } from './taint'
import { topCommand } from './top'

const unavailable = (name: string, short: string, why: string): Command => ({
  name,
  short,
  unavailable: true,
  async run() {
    throw new RawError(`error: "kubectl ${name}" is not available in this browser terminal: ${why}`)
  },
})

const NO_CONTAINERS = 'the containers here are simulated and take no connections'

/** Every kubectl command, grouped as `kubectl help` shows them. */
export const GROUPS: { title: string; commands: Command[] }[] = [
  { title: 'Basic Commands (Beginner)', commands: [createCommand, exposeCommand, runCommand, setCommand] },
  {
    title: 'Basic Commands (Intermediate)',
    commands: [explainCommand, getCommand, unavailable('edit', 'Edit a resource on the server', 'use the YAML editor beside the terminal, or kubectl apply'), deleteCommand],
  },
  { title: 'Deploy Commands', commands: [rolloutCommand, scaleCommand, unavailable('autoscale', 'Auto-scale a deployment, replica set, stateful set, or replication controller', 'this cluster has no HorizontalPodAutoscaler')] },
  {
    title: 'Cluster Management Commands',
    commands: [unavailable('certificate', 'Modify certificate resources', 'this cluster has no CertificateSigningRequest API'), clusterInfoCommand, topCommand, cordonCommandDef, uncordonCommandDef, drainCommand, taintCommand],
  },
  {
    title: 'Troubleshooting and Debugging Commands',
    commands: [
      describeCommand,
      logsCommand,
      unavailable('attach', 'Attach to a running container', NO_CONTAINERS),
      unavailable('exec', 'Execute a command in a container', NO_CONTAINERS),
      unavailable('port-forward', 'Forward one or more local ports to a pod', NO_CONTAINERS),
      unavailable('proxy', 'Run a proxy to the Kubernetes API server', 'the browser cannot listen on a local port'),
      unavailable('cp', 'Copy files and directories to and from containers', NO_CONTAINERS),
      authCommand,
      unavailable('debug', 'Create debugging sessions for troubleshooting workloads and nodes', NO_CONTAINERS),
      unavailable('events', 'List events', 'use kubectl get events'),
    ],
  },
  {
    title: 'Advanced Commands',
    commands: [
      unavailable('diff', 'Diff the live version against a would-be applied version', 'use kubectl apply --dry-run=server -o yaml'),
      applyCommand,
      patchCommand,
      unavailable('replace', 'Replace a resource by file name or stdin', 'use kubectl apply -f -'),
      unavailable('wait', 'Experimental: Wait for a specific condition on one or many resources', 'use kubectl get -w or kubectl rollout status'),
      unavailable('kustomize', 'Build a kustomization target from a directory or URL', 'there are no local directories here'),
    ],
  },
  { title: 'Settings Commands', commands: [labelCommand, annotateCommand, unavailable('completion', 'Output shell completion code for the specified shell (bash, zsh, fish, or powershell)', 'this terminal completes with Tab already')] },
  {
    title: 'Other Commands',
    commands: [
      apiResourcesCommand,
      apiVersionsCommand,
      configCommand,
      unavailable('plugin', 'Provides utilities for interacting with plugins', 'plugins are programs on a local machine'),
      versionCommand,
    ],
  },
]

/** In the order cobra adds them (the groups, then the others as kubectl's root adds them). */
export const commands: Command[] = [
  ...GROUPS.slice(0, -1).flatMap((g) => g.commands),
  configCommand,
  GROUPS[GROUPS.length - 1]!.commands[3]!,
  versionCommand,
  apiVersionsCommand,
  apiResourcesCommand,
]

export function rootHelp(): string {
  let s = 'kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\n'
  for (const g of GROUPS) {
    s += `${g.title}:\n`
    for (const c of g.commands) s += `  ${c.name.padEnd(16)}${c.short}\n`
    s += '\n'
    if (g.title === 'Settings Commands') s += 'Subcommands provided by plugins:\n\n'
  }
  s += 'Usage:\n  kubectl [flags] [options]\n\nUse "kubectl <command> --help" for more information about a given command.\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n'
  return s
}
