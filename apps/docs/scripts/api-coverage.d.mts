export function apiCoverage(): { total: number; covered: number; missing: string[] };
