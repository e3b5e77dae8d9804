import { ArgumentError } from '@msae/core';
import * as tf from '@tensorflow/tfjs-core';
import type { TfjsActivation } from './tfjs-activation.js';

/** jumprelu: z = pre * H(pre - theta), kept iff a_bj > theta_j (theta > 0). */
export const jumpReluSelection: TfjsActivation = async (a, config, theta) => {
  const [rows, dSae] = a.shape;
  if (!theta) throw new ArgumentError(`tfjs engine`, `${config.architecture} needs log_threshold`);
  const keep = tf.tidy(() => tf.cast(tf.greater(a, theta), 'int32'));
  const band = Uint8Array.from((await keep.data()) as Int32Array);
  keep.dispose();
  return { rows, dSae, levels: config.nesting.length, band };
};
