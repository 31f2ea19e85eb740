/**
 * Why a kubectl command of the session still answers differently on the fake: each step of
 * session.ts that differs names one of these causes (`differs:`), and the kubectl comparison fails
 * both when an unmarked step differs and when a marked one has become the same (remove its mark).
 */
export const DIFFERENCE_CAUSES = {
  identity:
    "`kubectl version` shows the server's gitVersion, which names the fake (v1.37.2-kates-fake), and no Go build fields.",
  groups:
    'API groups the fake does not serve (apiregistration, certificates, flowcontrol, resource, storagemigration): ' +
    'they need the aggregator, CSR signing, priority and fairness, DRA and storage migration controllers.',
  descriptions:
    "OpenAPI descriptions come from client-node's models of an older minor, which lack the descriptions of fields typed " +
    'by another model and some newer wording (ALLOWED_DIFFERENCES.openapi).',
} as const;

export type DifferenceCause = keyof typeof DIFFERENCE_CAUSES;
