/**
 * In-process wakeups: a producer's commit wakes consumers waiting in poll() at once. Appends by
 * other processes are not signalled; waiting consumers re-check every RECHECK_MS instead.
 */
export const RECHECK_MS = 100;

export class Notifier {
  private waiters = new Set<() => void>();

  /** Resolves on the next notify() or after `ms`, whichever comes first. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const w of waiters) w();
  }
}
