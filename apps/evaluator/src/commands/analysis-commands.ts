import type { Command } from 'commander';
import { registerBiasCommand } from './bias.js';
import { registerSearchCommand } from './search.js';
import { registerSteerCommand } from './steer.js';

/** `msae-eval steer`, `search`, `search-index` and `bias` (@msae/analysis). */
export function registerAnalysisCommands(program: Command): void {
  registerSteerCommand(program);
  registerSearchCommand(program);
  registerBiasCommand(program);
}
