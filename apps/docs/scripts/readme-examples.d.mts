export const HEADING: string;
export interface ApiExample {
  pkg: string;
  index: number;
  code: string;
  names: Set<string>;
}
export function readmeSummary(readme: string): string;
export function apiExampleBlocks(readme: string): string[];
export function namesUsed(block: string, from: string): Set<string>;
export function packageExamples(pkg: string): ApiExample[];
export function packageSummary(pkg: string): string;
