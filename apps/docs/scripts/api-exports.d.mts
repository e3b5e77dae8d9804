export const DOCS: string;
export const PACKAGES: string;
export function apiPackages(): string[];
export function packageExports(folder: string): { functions: string[]; classes: string[] };
export function publicPackages(): string[];
export function allExports(folders?: string[]): Array<{ pkg: string; name: string; kind: 'function' | 'class' }>;
