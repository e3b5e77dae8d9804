// Checkpoints written by other tools, read into msae's Checkpoint by loadCheckpoint (../checkpoint-dir.ts).
export { FORMAT_NAMES, type CheckpointFormat, type CheckpointSource } from './foreign-checkpoint.js';
export { parsePaperFileName, type PaperFileName } from './paper-pth.js';
export { readTorchFile, PyObject, DEFAULT_TORCH_LIMITS, type TorchReadLimits } from './torch-file.js';
export { TorchTensor, type TorchDtype } from './torch-tensor.js';
