/**
 * Stands in for `csv-parse/sync` in the site bundle: @msae/analysis's attribute tables (bias analysis
 * on CSV files) are Node-only, and csv-parse's module needs Node's Buffer at load time. Until
 * @msae/analysis has a browser entry, the site aliases csv-parse/sync to this module.
 */
export function parse(): never {
  throw new Error('CSV attribute tables are not available in the browser (use msae-eval bias in Node)');
}
