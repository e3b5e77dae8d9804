/** Colours of the map: categories from a fixed palette, numbers on a blue-to-orange ramp. */
export const PALETTE = ['#3451b2', '#c2410c', '#15803d', '#a21caf', '#0e7490', '#b91c1c', '#4d7c0f', '#6d28d9', '#b45309', '#0f766e', '#be185d', '#1d4ed8'];
export const GREY = '#9ca3af';

/** A category's colour (its position in `categories`). */
export function categoryColor(index: number): string {
  return index < 0 ? GREY : PALETTE[index % PALETTE.length];
}

/** A stable colour for a string (e.g. a latent's name). */
export function stringColor(s: string): string {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return PALETTE[Math.abs(h) % PALETTE.length];
}

/** t in [0, 1] -> blue (0) ... orange (1), through hue 220 -> 25. */
export function rampColor(t: number): string {
  const c = Math.min(1, Math.max(0, t));
  return `hsl(${Math.round(220 - 195 * c)}, 75%, ${Math.round(42 + 8 * c)}%)`;
}
