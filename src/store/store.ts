/** A tiny external store for React's useSyncExternalStore: no React here. */
export class Store<S> {
  private listeners = new Set<() => void>();
  constructor(private state: S) {}

  getSnapshot = (): S => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update(change: (s: S) => S): void {
    const next = change(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const l of this.listeners) l();
  }
}
