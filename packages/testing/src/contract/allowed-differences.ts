/**
 * Where the fake API server may differ from a real kube-apiserver, each with its reason. This is
 * the only place; the contract suite compares everything else the same way on both servers, and
 * touches these only as far as written here. Keep it short: a new entry needs a reason a reviewer
 * accepts, not a failing test.
 */
export const ALLOWED_DIFFERENCES = {
  managedFieldsOfUpdates:
    'managedFields entries of Update operations list leaf fields only (no "." entries for maps ' +
    'and keyed list items) and treat unknown lists as atomic: the apiserver derives them from OpenAPI schemas the ' +
    'fake does not have. Apply entries, conflicts and ownership transfer are compared exactly.',
  subresources:
    'Only the status and scale subresources are served (no log, exec, eviction, binding...), and discovery ' +
    'lists only those. The rest need kubelets and controllers; custom resources have no scale subresource here.',
  timing:
    'Bookmarks come every bookmarkIntervalMs (1 s) when the resource moved on, where the apiserver sends one ' +
    'about a second before timeoutSeconds; a CRD is established on the next tick, where the apiserver takes about a ' +
    'second and may answer 404 or 429 meanwhile. The contract waits for both the same way.',
  anonymous:
    'A request without a token gets 401; the test cluster allows anonymous requests and answers 403 for ' +
    'them. A wrong token gets 401 on both.',
  controllers:
    'The fake finalizes deleted namespaces (deletes their objects, then the namespace) and collects garbage ' +
    '(foreground and orphan deletion, dependents of deleted owners) as kube-controller-manager does; the test ' +
    'cluster runs no controllers, so there namespaces stay Terminating and objects keep the foregroundDeletion or ' +
    'orphan finalizer. The contract compares what the apiserver answers, and accepts either outcome afterwards.',
  openapi:
    "OpenAPI documents are built from client-node's models (an older minor) and CRD schemas, not from the Go types: a " +
    'field typed by another model has no description, shared types are named by a rule, and /openapi/v2 is served as ' +
    'JSON only (kubectl reads v3 and asks for v2, as protobuf, only as a fallback). The contract compares what kubectl ' +
    'reads: kinds by group-version-kind, field types and descriptions, PATCH parameters and body types.',
} as const;

export type AllowedDifference = keyof typeof ALLOWED_DIFFERENCES;
