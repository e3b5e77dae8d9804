/** One dot of a scatter plot (the map, the frequency plot). */
export interface ScatterPoint {
  id: number;
  x: number;
  y: number;
  color: string;
  /** Shown on hover (may hold a line break). */
  label: string;
}
