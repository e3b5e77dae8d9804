import type { Architecture, ReconLoss, SaeConfig, Weighting } from '../config.js';
import { resolveConfig } from '../config-resolution.js';
import { getArchitecture } from '../architectures/registry.js';

/** The configurations the suite covers (small sizes, several nesting levels, rows not a multiple of anything). */
export interface ConformanceConfig {
  name: string;
  config: SaeConfig;
  rows: number;
}

interface ConfigSpec {
  architecture: Architecture;
  dIn: number;
  dSae: number;
  k?: number;
  weighting?: Weighting;
  loss: ReconLoss;
  l1?: number;
  rows: number;
  /** AuxK on with these auxK / deadAfter / auxWeight (weight large so its gradient is far above rtol). */
  aux?: { auxK: number; deadAfter: number; auxWeight: number };
  groups?: number[];
  groupWeights?: number[];
  /** jumprelu: L0 coefficient and kernel bandwidth (wide, so the kernel band holds many codes). */
  l0?: number;
  bandwidth?: number;
}

const SPECS: ConfigSpec[] = [
  { architecture: 'msae', dIn: 16, dSae: 64, k: 4, weighting: 'rw', loss: 'nmse', rows: 32 },
  { architecture: 'msae', dIn: 16, dSae: 64, k: 4, weighting: 'uw', loss: 'nmse', rows: 32 },
  { architecture: 'msae', dIn: 16, dSae: 64, k: 4, weighting: 'rw', loss: 'mse', rows: 37 },
  { architecture: 'msae', dIn: 24, dSae: 96, k: 4, weighting: 'uw', loss: 'mse', rows: 19 },
  { architecture: 'topk', dIn: 16, dSae: 64, k: 8, loss: 'nmse', rows: 32 },
  { architecture: 'topk', dIn: 16, dSae: 64, k: 8, loss: 'mse', rows: 37 },
  { architecture: 'batchtopk', dIn: 16, dSae: 64, k: 8, loss: 'nmse', rows: 32 },
  { architecture: 'batchtopk', dIn: 16, dSae: 64, k: 8, loss: 'mse', rows: 37 },
  { architecture: 'relu', dIn: 16, dSae: 64, l1: 0.01, loss: 'nmse', rows: 32 },
  { architecture: 'relu', dIn: 16, dSae: 64, l1: 0.01, loss: 'mse', rows: 37 },
  { architecture: 'msae', dIn: 16, dSae: 64, k: 4, weighting: 'rw', loss: 'nmse', rows: 32, aux: { auxK: 8, deadAfter: 40, auxWeight: 0.5 } },
  { architecture: 'topk', dIn: 16, dSae: 64, k: 8, loss: 'nmse', rows: 32, aux: { auxK: 8, deadAfter: 40, auxWeight: 0.5 } },
  { architecture: 'batchtopk', dIn: 16, dSae: 64, k: 8, loss: 'mse', rows: 37, aux: { auxK: 6, deadAfter: 50, auxWeight: 0.5 } },
  { architecture: 'matryoshka-batchtopk', dIn: 16, dSae: 64, k: 8, loss: 'nmse', rows: 32, groups: [8, 8, 16, 32] },
  { architecture: 'matryoshka-batchtopk', dIn: 24, dSae: 96, k: 6, loss: 'mse', rows: 19, groups: [0.25, 0.25, 0.5], groupWeights: [3, 2, 1] },
  { architecture: 'matryoshka-batchtopk', dIn: 16, dSae: 64, k: 8, loss: 'nmse', rows: 32, groups: [16, 48], aux: { auxK: 8, deadAfter: 40, auxWeight: 0.5 } },
  { architecture: 'jumprelu', dIn: 16, dSae: 64, loss: 'nmse', rows: 32, l0: 0.002, bandwidth: 0.2 },
  { architecture: 'jumprelu', dIn: 24, dSae: 96, loss: 'mse', rows: 19, l0: 0.01, bandwidth: 0.1 },
];

/** The configurations covered by the suite, named e.g. "msae rw nmse k=4 d16x64 rows32". */
export function conformanceConfigs(): ConformanceConfig[] {
  return SPECS.map((s) => {
    const config = resolveConfig({ dIn: s.dIn, dSae: s.dSae, architecture: s.architecture, k: s.k, weighting: s.weighting, loss: s.loss, l1: s.l1, ...(s.aux ?? {}), groups: s.groups, groupWeights: s.groupWeights, l0: s.l0, bandwidth: s.bandwidth });
    const options = getArchitecture(s.architecture).options;
    const w = options.weighting ? ` ${config.weighting}` : '';
    const k = options.k ? ` k=${config.k}` : options.threshold ? ` l0=${config.l0} eps=${config.bandwidth}` : ` l1=${config.l1}`;
    const aux = (s.aux ? ` auxk=${s.aux.auxK}` : '') + (s.groups ? ` groups=[${config.nesting.join(',')}]` : '');
    return { name: `${s.architecture}${w} ${s.loss}${k}${aux} d${s.dIn}x${s.dSae} rows${s.rows}`, config, rows: s.rows };
  });
}
