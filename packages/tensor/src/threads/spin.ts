// Waiting on a slot of a shared Int32Array for another thread: spin on
// Atomics.load for up to about a millisecond (a decode step's hand-offs
// come that often), then sleep with Atomics.wait. Sleeping sooner cost far
// more than the futex wake-up (where Atomics.wait is refused, on a browser
// page's main thread, it only spins): measured on this 2-vCPU VM (one decode step
// of the large-shaped model, 168 products split over 2 threads), spinning
// ~0.15 ms left the calling thread's own half of the rows at 24-31 ms
// instead of 17-18 ms and the step at 54-57 ms (slower than one thread's
// 44 ms); spinning ~1-2 ms gave 37-40 ms.

/** How long to spin before sleeping, in milliseconds. */
const SPIN_MS = 1;
/** Loads between clock reads. */
const CHECK_EVERY = 256;

function now(): number {
  return performance.now();
}

/** False once Atomics.wait has refused this thread (a browser page's main thread may not block): it then only spins. */
let canWait = true;

function sleep(ctrl: Int32Array, slot: number, value: number, ms: number): void {
  if (!canWait) return;
  try {
    Atomics.wait(ctrl, slot, value, ms);
  } catch {
    canWait = false;
  }
}

/**
 * Returns the value of `ctrl[slot]` once it differs from `seen`: spins for
 * up to about a millisecond, then sleeps (each sleep capped at `sleepMs`, a
 * guard against a missed wake-up). With `asleepSlot`, `ctrl[asleepSlot]` is
 * 1 while it sleeps (so another thread can tell a slow wake-up from a
 * thread that lost its core) and 0 once it is back.
 *
 * @example
 * ```ts
 * seen = spinUntilChanged(ctrl, CTRL.job, seen);
 * ```
 */
export function spinUntilChanged(ctrl: Int32Array, slot: number, seen: number, sleepMs = 100, asleepSlot?: number): number {
  const until = now() + SPIN_MS;
  for (let i = 1; ; i++) {
    const v = Atomics.load(ctrl, slot);
    if (v !== seen) return v;
    if (i % CHECK_EVERY === 0 && now() > until) break;
  }
  if (asleepSlot !== undefined) Atomics.store(ctrl, asleepSlot, 1);
  try {
    for (;;) {
      const v = Atomics.load(ctrl, slot);
      if (v !== seen) return v;
      sleep(ctrl, slot, seen, sleepMs);
    }
  } finally {
    if (asleepSlot !== undefined) Atomics.store(ctrl, asleepSlot, 0);
  }
}

/**
 * Waits until `ctrl[slot]` equals `want` (spinning first, then sleeping).
 *
 * @example
 * ```ts
 * spinUntilEqual(ctrl, CTRL.done + i, job);
 * ```
 */
export function spinUntilEqual(ctrl: Int32Array, slot: number, want: number, sleepMs = 100): void {
  const until = now() + SPIN_MS;
  for (let i = 1; ; i++) {
    if (Atomics.load(ctrl, slot) === want) return;
    if (i % CHECK_EVERY === 0 && now() > until) break;
  }
  for (let v = Atomics.load(ctrl, slot); v !== want; v = Atomics.load(ctrl, slot)) sleep(ctrl, slot, v, sleepMs);
}

/**
 * Spins (never sleeps) until `ctrl[slot]` equals `want`, for at most `ms`
 * milliseconds; returns whether it did. For waits that must stay short,
 * where the caller has something else to do when they run out.
 *
 * @example
 * ```ts
 * if (!spinUntilEqualWithin(ctrl, CTRL.done + w, job, 0.1)) redoItsRows();
 * ```
 */
export function spinUntilEqualWithin(ctrl: Int32Array, slot: number, want: number, ms: number): boolean {
  if (Atomics.load(ctrl, slot) === want) return true;
  const until = now() + ms;
  for (let i = 1; ; i++) {
    if (Atomics.load(ctrl, slot) === want) return true;
    if (i % 64 === 0 && now() > until) return Atomics.load(ctrl, slot) === want;
  }
}
