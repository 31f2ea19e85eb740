/**
 * `@kates/react/proxy`: a Node proxy for browser dashboards, like `kubectl proxy`, that keeps the
 * kubeconfig's credentials on the server and serves the built dashboard beside the API.
 * @packageDocumentation
 */

export { isApiPath, type Refusal, refusalOf } from './guard.js';
export { type KubeProxy, type KubeProxyOptions, startKubeProxy } from './start.js';
