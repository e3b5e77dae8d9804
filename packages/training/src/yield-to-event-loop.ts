/**
 * Let pending messages, signal handlers and timers run: an engine's trainStep may resolve without ever yielding,
 * so a worker's Stop message or Ctrl-C would otherwise wait for the whole run. setImmediate where it exists
 * (Node), else a MessageChannel task (browsers and workers: no 4 ms timer clamp), else setTimeout.
 */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => void; MessageChannel?: typeof MessageChannel };
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate?.(resolve));
  if (typeof g.MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new g.MessageChannel!();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
