export * from './fault-proxy.js';
export * from './kubeconfig-via.js';
export * from './slowed-watches.js';
export type { SlowedWatchRule } from './watch-delay.js';
