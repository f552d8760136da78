/** Metrics of a run: one JSON object per line (JSONL) and the same rows as CSV, appended as they come. */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'

export type MetricRow = Record<string, number | string>

export class MetricsLog {
  private columns: string[] | undefined
  constructor(private readonly jsonl: string, private readonly csv: string) {
    // A resumed run appends below the header it wrote before.
    if (existsSync(csv)) this.columns = readFileSync(csv, 'utf8').split('\n', 1)[0].split(',')
  }
  append(row: MetricRow): void {
    appendFileSync(this.jsonl, JSON.stringify(row) + '\n')
    if (!this.columns) {
      this.columns = Object.keys(row)
      if (!existsSync(this.csv)) writeFileSync(this.csv, this.columns.join(',') + '\n')
    }
    appendFileSync(this.csv, this.columns.map((c) => (row[c] === undefined ? '' : String(row[c]))).join(',') + '\n')
  }
}

/** Running mean of named values (the reference's Keras metrics, reset per epoch). */
export class RunningMeans {
  private sums: Record<string, number> = {}
  private counts: Record<string, number> = {}
  add(values: Record<string, number>): void {
    for (const [k, v] of Object.entries(values)) {
      this.sums[k] = (this.sums[k] ?? 0) + v
      this.counts[k] = (this.counts[k] ?? 0) + 1
    }
  }
  means(): Record<string, number> {
    return Object.fromEntries(Object.keys(this.sums).map((k) => [k, this.sums[k] / this.counts[k]]))
  }
}
