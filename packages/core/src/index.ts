/**
 * `@kates/core`: a Kubernetes client and a coherent, live Redux view of a cluster. Everything of
 * `@kates/core/browser` (its explicit list is the public surface), and what needs Node:
 * kubeconfig clients, the Node transport, recordings on disk, the remote Redux DevTools.
 * `npm run api:check` compares it with `api/core.api.md`.
 * @packageDocumentation
 */

export * from './browser.js';
export { type CreateClientOptions, createClient } from './client/create-client.js';
export {
  type FileSinkOptions,
  fileSink,
  type RemoteDevToolsOptions,
  readRecordingFile,
  recordingText,
  remoteDevTools,
} from './timetravel/node.js';
export { createNodeTransport, type NodeTransport, type NodeTransportOptions } from './transport/node.js';
