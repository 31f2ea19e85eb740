/**
 * `@kates/proxy`: a Node proxy for browser dashboards, like `kubectl proxy`, that keeps the
 * kubeconfig's credentials on the server and serves the built dashboard beside the API.
 * @packageDocumentation
 */

export type { AccessDecision, AccessReviewOptions, UserInfo } from './authz/access-review.js';
export type { Identify } from './authz/authorizer.js';
export type { FanOutOptions, FanOutStats } from './fanout/fan-out.js';
export type { WarmQuery, WarmStatus } from './fanout/warm.js';
export { isApiPath, type Refusal, refusalOf } from './guard.js';
export type { KubeProxyStats } from './start.js';
export { type KubeProxy, type KubeProxyOptions, startKubeProxy } from './start.js';
export { serveStatic } from './static.js';
export type { UpstreamCounts } from './upstream-counts.js';
