// Waiting on a slot of a shared Int32Array for another thread: spin on
// Atomics.load for a short while (a hand-off between products of one decode
// step is usually that quick), then sleep with Atomics.wait. A futex
// wake-up costs tens of microseconds; a decode step of a 24-layer model
// hands off about 170 products.

/** Loads before falling back to Atomics.wait (about 20-50 µs on this machine's cores). */
const SPIN = 20_000;

/**
 * Returns the value of `ctrl[slot]` once it differs from `seen`: spins
 * first, then sleeps (each sleep capped at `sleepMs`, a guard against a
 * missed wake-up).
 *
 * @example
 * ```ts
 * seen = spinUntilChanged(ctrl, CTRL.job, seen);
 * ```
 */
export function spinUntilChanged(ctrl: Int32Array, slot: number, seen: number, sleepMs = 100): number {
  for (let i = 0; i < SPIN; i++) {
    const v = Atomics.load(ctrl, slot);
    if (v !== seen) return v;
  }
  for (;;) {
    const v = Atomics.load(ctrl, slot);
    if (v !== seen) return v;
    Atomics.wait(ctrl, slot, seen, sleepMs);
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
  for (let i = 0; i < SPIN; i++) if (Atomics.load(ctrl, slot) === want) return;
  for (let v = Atomics.load(ctrl, slot); v !== want; v = Atomics.load(ctrl, slot)) Atomics.wait(ctrl, slot, v, sleepMs);
}
