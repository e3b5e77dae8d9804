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
];

/** The configurations covered by the suite, named e.g. "msae rw nmse k=4 d16x64 rows32". */
export function conformanceConfigs(): ConformanceConfig[] {
  return SPECS.map((s) => {
    const config = resolveConfig({ dIn: s.dIn, dSae: s.dSae, architecture: s.architecture, k: s.k, weighting: s.weighting, loss: s.loss, l1: s.l1 });
    const options = getArchitecture(s.architecture).options;
    const w = options.weighting ? ` ${config.weighting}` : '';
    const k = options.k ? ` k=${config.k}` : ` l1=${config.l1}`;
    return { name: `${s.architecture}${w} ${s.loss}${k} d${s.dIn}x${s.dSae} rows${s.rows}`, config, rows: s.rows };
  });
}
