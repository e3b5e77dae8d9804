/**
 * The name of a registered architecture. architectures/registry.ts maps every name here to its definition, and the
 * compiler checks the two agree (a name without a definition, or a definition without a name, does not build).
 */
export type Architecture = 'relu' | 'topk' | 'batchtopk' | 'msae' | 'matryoshka-batchtopk' | 'jumprelu';
