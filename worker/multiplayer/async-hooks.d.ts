// The one Node API the worker uses (nodejs_compat provides it in workerd); the
// worker's tsconfig has no @types/node, so its shape is declared here.
declare module 'node:async_hooks' {
  export class AsyncLocalStorage<T> {
    run<R>(store: T, fn: () => R): R
    getStore(): T | undefined
  }
}
