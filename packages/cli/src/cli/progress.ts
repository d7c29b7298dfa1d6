// Training progress for a terminal or a pipe. In a terminal one bar line is
// redrawn in place each time the loop calls update() (no timer: the training
// loop is synchronous, so a timer would never fire), and log() prints a line
// above the bar. Elsewhere (a pipe, a file) it prints plain lines. Not the loop.

/**
 * Where progress goes: a Node stream or anything with `write` (tests pass a fake).
 *
 * @example
 * ```ts
 * const fake: ProgressSink = { write: (s) => screen.push(s), isTTY: true, columns: 100 };
 * ```
 */
export interface ProgressSink {
  write(text: string): unknown;
  /** True for a terminal: the bar is drawn in place. */
  readonly isTTY?: boolean;
  /** Terminal width in columns (default 80). */
  readonly columns?: number;
}

/**
 * One step's numbers, as update() receives them.
 *
 * @example
 * ```ts
 * const info: ProgressInfo = { step: 12, loss: 3.21, valLoss: 3.3, tokensPerSecond: 900, elapsed: 14, eta: 170 };
 * ```
 */
export interface ProgressInfo {
  /** Steps done. */
  readonly step: number;
  readonly loss: number;
  /** The latest validation loss, if any. */
  readonly valLoss?: number | undefined;
  readonly tokensPerSecond: number;
  /** Seconds since training (this session) started. */
  readonly elapsed: number;
  /** Estimated seconds left. */
  readonly eta: number;
}

/**
 * Escape sequences: hide/show the cursor, line wrapping off/on, clear the line.
 *
 * @example
 * ```ts
 * process.stdout.write(TERMINAL.showCursor + TERMINAL.wrapOn); // give the terminal back
 * ```
 */
export const TERMINAL = {
  hideCursor: "\x1b[?25l",
  showCursor: "\x1b[?25h",
  wrapOff: "\x1b[?7l",
  wrapOn: "\x1b[?7h",
  clearLine: "\r\x1b[2K",
} as const;

/**
 * `m:ss` (or `h:mm:ss`) for a number of seconds.
 *
 * @example
 * ```ts
 * formatDuration(75); // "1:15"
 * formatDuration(3725); // "1:02:05"
 * ```
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "-:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(mm).padStart(2, "0")}:${ss}` : `${mm}:${ss}`;
}

/**
 * A progress display over `total` steps.
 *
 * @example
 * ```ts
 * const p = new ProgressDisplay(process.stdout, 100, { live: process.stdout.isTTY === true });
 * p.update({ step: 1, loss: 5.9, tokensPerSecond: 900, elapsed: 0.3, eta: 30 });
 * p.log("  sample at step 1: ...");  // printed above the bar
 * p.stop();                   // the bar stays, the cursor comes back
 * ```
 */
export class ProgressDisplay {
  readonly #out: ProgressSink;
  readonly #total: number;
  readonly #live: boolean;
  readonly #plainEvery: number;
  #last: ProgressInfo | undefined;
  #drawn = false;
  #terminalTouched = false;

  /**
   * @param opts.live draw the bar in place (default: the sink is a terminal)
   * @param opts.plainEvery without a terminal, print a line every this many steps (and the first and last)
   */
  constructor(out: ProgressSink, total: number, opts: { readonly live?: boolean | undefined; readonly plainEvery?: number } = {}) {
    this.#out = out;
    this.#total = total;
    this.#live = opts.live ?? out.isTTY === true;
    this.#plainEvery = Math.max(1, opts.plainEvery ?? 10);
  }

  /** True when the bar is drawn in place. */
  get live(): boolean {
    return this.#live;
  }

  /** Records a step and redraws the bar (or prints a plain line when one is due). */
  update(info: ProgressInfo): void {
    this.#last = info;
    if (this.#live) {
      if (!this.#terminalTouched) {
        this.#out.write(TERMINAL.hideCursor + TERMINAL.wrapOff);
        this.#terminalTouched = true;
      }
      this.#out.write(TERMINAL.clearLine + this.render(info));
      this.#drawn = true;
    } else if (info.step === 1 || info.step % this.#plainEvery === 0 || info.step === this.#total) {
      this.#out.write(`${this.plainLine(info)}\n`);
    }
  }

  /** Prints a line: above the bar in a terminal (the bar is redrawn below it). */
  log(line: string): void {
    if (this.#live && this.#drawn && this.#last !== undefined) this.#out.write(`${TERMINAL.clearLine}${line}\n${this.render(this.#last)}`);
    else this.#out.write(`${line}\n`);
  }

  /** Ends the bar's line and gives the terminal back (cursor shown, wrapping on). Safe to call twice. */
  stop(): void {
    if (this.#live && this.#drawn) this.#out.write("\n");
    this.#drawn = false;
    this.restoreTerminal();
  }

  /** Shows the cursor and turns wrapping back on, if this display changed them. */
  restoreTerminal(): void {
    if (this.#terminalTouched) this.#out.write(TERMINAL.showCursor + TERMINAL.wrapOn);
    this.#terminalTouched = false;
  }

  /** The bar line for a terminal, fitted to its width. */
  render(i: ProgressInfo): string {
    const val = i.valLoss === undefined ? "" : ` | val ${i.valLoss.toFixed(3)}`;
    const tail = ` ${i.step}/${this.#total} | loss ${i.loss.toFixed(3)}${val} | ${Math.round(i.tokensPerSecond).toLocaleString("en-US")} tok/s | ${formatDuration(i.elapsed)} elapsed | ETA ${formatDuration(i.eta)}`;
    const columns = this.#out.columns !== undefined && this.#out.columns > 0 ? this.#out.columns : 80;
    const width = Math.max(5, Math.min(30, columns - tail.length - 9));
    const filled = Math.round((width * Math.min(i.step, this.#total)) / Math.max(1, this.#total));
    return `train [${"#".repeat(filled)}${"-".repeat(width - filled)}]${tail}`.slice(0, Math.max(20, columns - 1));
  }

  /** The plain line printed without a terminal. */
  plainLine(i: ProgressInfo): string {
    const val = i.valLoss === undefined ? "" : `  val ${i.valLoss.toFixed(3)}`;
    return `step ${i.step}/${this.#total}  loss ${i.loss.toFixed(3)}${val}  ${Math.round(i.tokensPerSecond)} tok/s  ${formatDuration(i.elapsed)} elapsed  ETA ${formatDuration(i.eta)}`;
  }
}
