#!/usr/bin/env node
import { startCluster } from '../cluster/cluster.js';

/** `npm run cluster`: a real kube-apiserver + etcd on loopback until Ctrl-C. */
const controllers = process.argv.includes('--controllers');
const cluster = await startCluster({ controllers });
process.stdout.write(
  `kube-apiserver ${cluster.server} is ready${controllers ? ' (with kube-controller-manager)' : ''}.\n`,
);
process.stdout.write(
  `kubeconfig: ${cluster.kubeconfigPath}\n\n  export KUBECONFIG=${cluster.kubeconfigPath}\n\n`,
);
process.stdout.write(`Logs in ${cluster.dir}. Ctrl-C stops it and removes that folder.\n`);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  process.stdout.write('\nstopping the cluster...\n');
  await cluster.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
