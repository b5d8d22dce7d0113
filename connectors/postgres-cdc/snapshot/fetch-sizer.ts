/**
 * How many rows the next snapshot FETCH asks for: at most `snapshot.fetch.size`, and about
 * FETCH_BUDGET_BYTES of rows as they will sit in memory (row text plus ROW_HEAP_BYTES for the
 * result row and the change event built from it).
 *
 * Measured with npm run bench:cdc (500,000 narrow rows, 50,000 1 KB rows, 3,000 100 KB documents;
 * medians of 3): Debezium's fixed 10,240 rows a fetch peaked at 203, 239 and 412 MB RSS; this
 * budget (about 500 narrow, 250 wide, 5 documents a fetch) at 156, 147 and 157 MB, with narrow
 * 94k -> 99k rows/s, wide 34k -> 36k, documents 1.9k -> 1.7k. A budget of 1 MB was slower on narrow
 * rows (86k). A fixed row count lets 10,240 rows of 100 KB documents arrive as one 1 GB result.
 * The first fetch is small, to learn the width.
 */
export const FETCH_BUDGET_BYTES = 512 * 1024;
const ROW_HEAP_BYTES = 1000;
const FIRST_FETCH = 64;

export class FetchSizer {
  private next: number;

  constructor(private readonly maxRows: number, private readonly budgetBytes = FETCH_BUDGET_BYTES) {
    this.next = Math.min(maxRows, FIRST_FETCH);
  }

  /** Rows to ask for now. */
  get rows(): number {
    return this.next;
  }

  /** Sizes the next fetch from the rows this one returned (their text counted a character a byte). */
  observe(rows: ReadonlyArray<ReadonlyArray<string | null>>): void {
    if (rows.length === 0) return;
    let chars = 0;
    for (const row of rows) for (const v of row) if (v !== null) chars += v.length;
    const perRow = ROW_HEAP_BYTES + chars / rows.length;
    this.next = Math.max(1, Math.min(this.maxRows, Math.floor(this.budgetBytes / perRow)));
  }
}
