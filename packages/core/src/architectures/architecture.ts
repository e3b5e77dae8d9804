import type { Architecture, SaeConfig, Weighting } from '../config.js';

/**
 * How the training forward pass selects codes z from a = ReLU(pre). Engines implement one kernel per kind
 * (an architecture that reuses a kind needs no engine change):
 * - `relu`: z = a (every positive code);
 * - `row-topk`: per-row TopK_k(a);
 * - `batch-topk`: the k·B largest entries of a over the batch;
 * - `nested-row-topk`: rank each row descending, level i keeps ranks < k_i (Matryoshka levels);
 * - `batch-topk-prefix`: the k·B largest entries over the batch; level i keeps those with latent index < nesting[i]
 *   (prefix Matryoshka groups);
 * - `jumprelu`: z = pre * H(pre - theta), theta = exp(log_threshold) per latent (a trained parameter, see jumprelu.ts).
 */
export type ActivationKind = 'relu' | 'row-topk' | 'batch-topk' | 'nested-row-topk' | 'batch-topk-prefix' | 'jumprelu';

/**
 * The gate inference applies to pre-activations before the per-row TopK (`SaeEngine.encode`, core's inference module):
 * - `relu`: z = ReLU(pre);
 * - `jumprelu`: z = pre * H(pre - theta), theta = exp(log_threshold) per latent.
 */
export type EncodeGate = 'relu' | 'jumprelu';

/** How an architecture computes codes at train time and at evaluation (`SaeEngine.encode`). */
export interface ArchitectureActivation {
  train: ActivationKind;
  /** Evaluation keeps each row's top-k positive codes for every architecture (jumprelu: of its thresholded codes). */
  eval: 'row-topk';
  /** The gate before that TopK. */
  gate: EncodeGate;
}

/** Per-architecture training defaults. */
export interface ArchitectureDefaults {
  /** Peak learning rate on user data. */
  lr: number;
  /** Peak learning rate on the trainer's built-in demo data. */
  demoLr: number;
  batchSize: number;
  /** Default k (capped at d_sae); undefined when the architecture takes no k (its own k is d_sae). */
  k: number | undefined;
  /** Default L1 weight (0 where no L1 term applies). */
  l1: number;
  /** Default level weighting (architectures with one level use uw). */
  weighting: Weighting;
  /** JumpReLU only: L0 coefficient, STE kernel bandwidth, initial threshold. */
  l0?: number;
  bandwidth?: number;
  initThreshold?: number;
}

/** Which user options apply to the architecture (the others are refused when given). */
export interface ArchitectureOptions {
  k: boolean;
  weighting: boolean;
  l1: boolean;
  nesting: boolean;
  /** AuxK (auxK, auxWeight, deadAfter: see aux-k.ts). */
  auxK: boolean;
  /** Prefix Matryoshka latent groups (groups, groupWeights). */
  groups: boolean;
  /** JumpReLU threshold options (l0, bandwidth, initThreshold); absent = not accepted. */
  threshold?: boolean;
}

/** A SAELens `architecture` + `activation_fn` pair (v6 keys; pre-v6 `activation_fn_str`). */
export interface SaeLensPair {
  architecture: string;
  /** Undefined matches any activation_fn. */
  activationFn?: string;
}

/** How the architecture appears in SAELens' cfg.json. */
export interface SaeLensMapping {
  /** The SAELens `architecture` written for it (`standard` = ReLU). */
  architecture: string;
  /** SAELens `activation_fn` / pre-v6 `activation_fn_str` written for it. */
  activationFn: 'relu' | 'topk' | 'jumprelu';
  /** Whether SAELens' cfg carries k (`k` in v6, `activation_fn_kwargs.k` pre-v6). */
  hasK: boolean;
  /** The SAELens pairs read back as this architecture. */
  reads: readonly SaeLensPair[];
  /** The architecture's options in SAELens' cfg keys (jumprelu: l0 = l0_coefficient); `assumed` when a file lacks it. */
  optionKeys?: readonly SaeLensOptionKey[];
}

/** One architecture option in a SAELens cfg.json. */
export interface SaeLensOptionKey {
  option: 'l0' | 'bandwidth' | 'initThreshold';
  key: string;
  /** The value msae assumes (and reports as assumed) when a SAELens file lacks the key; absent: the architecture's default applies silently. */
  assumed?: number;
}

/** The architecture-dependent user options resolveConfig hands to the architecture. */
export interface ArchitectureResolveOptions {
  k?: number;
  weighting?: Weighting;
  l1?: number;
  nesting?: number[];
  /** Latent group sizes (counts summing to d_sae, or fractions summing to 1). */
  groups?: number[];
  /** Loss weight of each group's prefix. */
  groupWeights?: number[];
  /** JumpReLU: L0 coefficient, kernel bandwidth, initial threshold. */
  l0?: number;
  bandwidth?: number;
  initThreshold?: number;
}

/** The architecture-dependent fields of a SaeConfig. */
export type ArchitectureFields = Pick<SaeConfig, 'k' | 'nesting' | 'weights' | 'weighting' | 'l1' | 'l0' | 'bandwidth' | 'initThreshold'>;

/**
 * How one layout of an extra tensor is stored in sae_weights.safetensors: its tensor name and the conversion
 * between the file's values and msae's parameter (identity when absent).
 */
export interface ExtraTensorLayout {
  tensor: string;
  /** Parameter values of the file's values; null when the file's values are out of range (the file is refused). */
  read?(file: Float32Array): Float32Array | null;
  /** The file's values of the parameter values. */
  write?(param: Float32Array): Float32Array;
  /** What the file's values must be, for the refusal message (e.g. 'positive and finite'). */
  requires?: string;
}

/** A trained per-latent tensor [d_sae] an architecture adds to the four SAE parameters (JumpReLU: log_threshold). */
export interface ExtraTensor {
  /** Its key in SaeParams. */
  param: string;
  /** What it holds, for messages (e.g. 'JumpReLU thresholds'). */
  description: string;
  /** Layouts in sae_weights.safetensors: the first is written, the first present is read. */
  layouts: readonly ExtraTensorLayout[];
}

/** Everything msae knows about one architecture; one entry per architecture in the registry. */
export interface ArchitectureDefinition<N extends string = Architecture> {
  name: N;
  /** One line for help texts and docs. */
  summary: string;
  /** Display labels (e.g. `msae-rw`) -> the weighting each one stands for. */
  labels: Readonly<Record<string, Weighting>>;
  defaults: ArchitectureDefaults;
  options: ArchitectureOptions;
  activation: ArchitectureActivation;
  /** The architecture's own k: the k the trainer reports at and the namer gathers evidence at. */
  ownK(config: SaeConfig): number;
  /** k, nesting, weights, weighting and l1 from the user options (already type-checked) and d_sae. */
  resolve(opts: ArchitectureResolveOptions, dSae: number): ArchitectureFields;
  /** Architecture-specific consistency checks of a full config (after the generic ones); throws a one-line Error. */
  validate(config: SaeConfig, context: string): void;
  saeLens: SaeLensMapping;
  /** Trained tensors beyond W_enc, b_enc, W_dec, b_dec; checkpoints read and write them from this list. */
  extraTensors?: readonly ExtraTensor[];
}

/** Default k of the architectures that take one (TopK k, BatchTopK k, MSAE k0). */
export const DEFAULT_K = 64;
