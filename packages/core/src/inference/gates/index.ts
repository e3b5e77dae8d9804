import type { EncodeGate } from '../../architectures/architecture.js';
import type { GateUnit } from './gate-unit.js';
import { jumpReluGate } from './jumprelu-gate.js';
import { reluGate } from './relu-gate.js';

/** The inference gate of each EncodeGate kind (an architecture names its kind in the registry). */
export const GATES: Readonly<Record<EncodeGate, GateUnit>> = { relu: reluGate, jumprelu: jumpReluGate };

export type { BoundGate, GateUnit } from './gate-unit.js';
