/** A steering slider's range, scaled to the latent's activations on the items. */
export interface SliderScale {
  min: number;
  max: number;
  step: number;
}

/**
 * Range [-2a, 4a] with step a, where a = the latent's largest activation on the items (else the median
 * of the latents' largest activations, else 1): one step adds the concept as strongly as it ever fires,
 * so a step moves the neighbours visibly; negative values push the concept away.
 */
export function sliderScale(maxActivation: ArrayLike<number> | null, latent: number): SliderScale {
  let a = maxActivation?.[latent] ?? 0;
  if (!(a > 0) && maxActivation) {
    const firing = Array.from(maxActivation).filter((v) => v > 0).sort((x, y) => x - y);
    a = firing[Math.floor(firing.length / 2)] ?? 0;
  }
  if (!(a > 0)) a = 1;
  const step = Number(a.toPrecision(2));
  const round = (v: number) => Number(v.toPrecision(4));
  return { min: round(-2 * step), max: round(4 * step), step };
}
