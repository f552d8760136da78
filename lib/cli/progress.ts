/** A one-line progress bar on stderr (only when stderr is a terminal; otherwise a line per 10%). */
export class Progress {
  private lastDecile = -1
  private readonly start = Date.now()
  constructor(private readonly label: string, private readonly total: number, private readonly stream = process.stderr) {}
  update(done: number, extra = ''): void {
    const frac = Math.min(1, done / this.total)
    const elapsed = (Date.now() - this.start) / 1000
    const eta = frac > 0 ? (elapsed * (1 - frac)) / frac : 0
    const text = `${this.label} ${(frac * 100).toFixed(0).padStart(3)}% ${done}/${this.total} ${elapsed.toFixed(1)}s eta ${eta.toFixed(1)}s ${extra}`
    if (this.stream.isTTY) {
      const width = 24
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.')
      this.stream.write(`\r[${bar}] ${text}`)
      if (frac === 1) this.stream.write('\n')
    } else {
      const decile = Math.floor(frac * 10)
      if (decile !== this.lastDecile) {
        this.lastDecile = decile
        this.stream.write(text + '\n')
      }
    }
  }
}
