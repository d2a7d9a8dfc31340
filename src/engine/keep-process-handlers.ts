const EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/**
 * Runs `work` and then removes the `uncaughtException` / `unhandledRejection` listeners it added.
 * The Emscripten runtime inside tfjs-backend-wasm installs listeners that rethrow from the handler,
 * so any later uncaught error in the user's code would end Node with exit code 7 and a minified
 * line of Emscripten source instead of the user's own error and exit code 1.
 *
 * @example
 * await keepProcessHandlers(() => tf.setBackend('wasm'));
 */
export async function keepProcessHandlers<T>(work: () => Promise<T>): Promise<T> {
  // Plain EventEmitter view: the process typings overload listeners() per event name.
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  try {
    return await work();
  } finally {
    for (const event of EVENTS) {
      const kept = before.get(event)!;
      for (const listener of emitter.listeners(event)) {
        if (!kept.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
}
