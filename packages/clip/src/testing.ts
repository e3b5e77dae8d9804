/**
 * `@msae/clip/testing`: the tiny random-weight CLIP fixture for tests (Node only; needs the `onnx-proto`
 * package, an optional peer dependency). A Hugging Face-layout folder that transformers.js loads like a real
 * CLIP, deterministic for a seed, **not** a real CLIP.
 *
 *   import { writeTinyClipFixture } from '@msae/clip/testing';
 *   const model = await writeTinyClipFixture(join(tmp, 'tiny-clip')); // pass as `model` / --model
 */
export { writeTinyClipFixture, tinyClip, tinyClipFiles, TINY_CLIP_FIXTURE_VERSION, type TinyClip } from './fixture/tiny-clip-fixture.js';
export { TINY_CLIP_SIZES, TINY_CLIP_SEED, CLIP_IMAGE_MEAN, CLIP_IMAGE_STD, type TinyClipSizes } from './fixture/tiny-clip-config.js';
export type { TinyClipWeights, EncoderLayerWeights, TextTowerWeights, VisionTowerWeights } from './fixture/tiny-clip-weights.js';
export type { ClipTokenizerFiles } from './fixture/clip-bpe-tokenizer.js';
