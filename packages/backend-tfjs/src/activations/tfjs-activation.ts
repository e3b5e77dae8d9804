import type * as tf from '@tensorflow/tfjs-core';
import type { SaeConfig } from '@msae/core';
import type { LevelSelection } from '../level-selection.js';

/** One training activation of the tfjs engine: which level keeps each entry of a = ReLU(pre) [rows, dSae] (jumprelu: given theta). */
export type TfjsActivation = (a: tf.Tensor2D, config: SaeConfig, theta?: tf.Tensor1D) => Promise<LevelSelection>;
