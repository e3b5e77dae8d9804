export const DOCS: string;
export const PACKAGES: string;
export function apiPackages(): string[];
export function packageExports(folder: string): { functions: string[]; classes: string[] };
export function allExports(): Array<{ pkg: string; name: string; kind: 'function' | 'class' }>;
