import type { SaeEngine } from '../engine.js';
import { conformanceCases, type ConformanceOptions } from './cases.js';

export interface ConformanceResult {
  name: string;
  passed: boolean;
  error?: string;
}

/** Run every case (sequentially) and collect results instead of throwing. */
export async function runConformance(factory: () => SaeEngine | Promise<SaeEngine>, options: ConformanceOptions = {}): Promise<ConformanceResult[]> {
  const results: ConformanceResult[] = [];
  for (const c of conformanceCases(options)) {
    try {
      await c.run(factory);
      results.push({ name: c.name, passed: true });
    } catch (e) {
      results.push({ name: c.name, passed: false, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return results;
}
