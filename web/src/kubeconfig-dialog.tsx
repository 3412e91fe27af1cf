// The kubeconfig download: a file for the signed-in identity and the one line
// to use it with a real kubectl.
import { useRef } from 'hono/jsx/dom'
import type { Identity } from './identity'
import { download, kubeconfigFor } from './kubeconfig'

export function KubeconfigButton({ identity }: { identity: Identity }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const k = kubeconfigFor(identity, location)
  return (
    <>
      <button type="button" onClick={() => dialog.current?.showModal()}>
        kubeconfig
      </button>
      <dialog ref={dialog} class="kubeconfig" aria-labelledby="kubeconfig-h">
        <h2 id="kubeconfig-h">Use this cluster from your own kubectl</h2>
        <ol>
          <li>
            <button type="button" class="primary" onClick={() => download(k.filename, k.text)}>
              Download {k.filename}
            </button>
          </li>
          <li>
            Then run{k.local ? ' (from the Wheelhouse checkout, which holds the local CA)' : ''}:
            <pre class="command" data-testid="kubeconfig-command">{k.command}</pre>
          </li>
        </ol>
        <details>
          <summary>Show the file</summary>
          <pre class="kubeconfig-text">{k.text}</pre>
        </details>
        <form method="dialog">
          <button type="submit">Close</button>
        </form>
      </dialog>
    </>
  )
}
