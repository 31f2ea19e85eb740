export {
  alwaysLeading,
  type LeaderElection,
  type Leadership,
  type LeadershipSource,
} from './leadership.js';
export { Manager, type ManagerOptions, type ShutdownReport } from './manager.js';
export { onShutdownSignals, type SignalSource } from './signals.js';
