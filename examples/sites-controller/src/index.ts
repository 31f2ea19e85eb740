export { type SitesController, type SitesControllerOptions, startSitesController } from './controller.js';
export { leaseElection } from './leader-election.js';
export { FINALIZER, HOSTNAMES, MANAGED_BY, siteReconciler } from './reconcile.js';
export { SITE_GROUP, type Site, site, siteCrd } from './site.js';
