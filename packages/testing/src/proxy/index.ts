export * from './fault-proxy.js';
export * from './kubeconfig-via.js';
