export { runEmbedCli, sidecarPath, type CliIo, type EmbeddingSidecar } from './embed-command.js';
