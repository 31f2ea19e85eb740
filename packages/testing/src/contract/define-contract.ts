import { afterAll, beforeAll, describe } from 'vitest';
import { authorizationContract } from './cases/authorization.js';
import type { ContractContext } from './cases/context.js';
import { crdContract } from './cases/crd.js';
import { crudContract } from './cases/crud.js';
import { customResourceValidationContract } from './cases/custom-resource-validation.js';
import { defaultingContract } from './cases/defaulting.js';
import { deletionPropagationContract } from './cases/deletion-propagation.js';
import { discoveryContract } from './cases/discovery.js';
import { dryRunContract } from './cases/dry-run.js';
import { eventsContract } from './cases/events.js';
import { everydayKindsContract } from './cases/everyday-kinds.js';
import { expiryContract } from './cases/expiry.js';
import { fieldTypesContract } from './cases/field-types.js';
import { fieldValidationContract } from './cases/field-validation.js';
import { leaseContract } from './cases/leases.js';
import { lifecycleContract } from './cases/lifecycle.js';
import { managedFieldsResetContract } from './cases/managed-fields-reset.js';
import { metadataOnlyContract } from './cases/metadata-only.js';
import { openApiContract } from './cases/openapi.js';
import { patchContract } from './cases/patch.js';
import { scaleContract } from './cases/scale.js';
import { secretsContract } from './cases/secrets.js';
import { selectionContract } from './cases/selection.js';
import { serviceAddressesContract } from './cases/service-addresses.js';
import { tableContract } from './cases/table.js';
import { watchContract } from './cases/watch.js';
import type { ContractTarget } from './target.js';

/**
 * The contract between kates and an API server, written once and run against every server: the
 * real kube-apiserver and the fake one. A difference fails it, except the few listed in
 * allowed-differences.ts.
 */
export function defineContract(name: string, getTarget: () => Promise<ContractTarget>): void {
  describe(name, () => {
    let target: ContractTarget | undefined;
    let namespace = '';
    let counter = 0;
    const run = Math.random().toString(36).slice(2, 7);
    const ctx: ContractContext = {
      target: () => target as ContractTarget,
      http: () => (target as ContractTarget).http,
      namespace: () => namespace,
      name: (prefix) => `${prefix}-${run}-${++counter}`,
    };

    beforeAll(async () => {
      target = await getTarget();
      namespace = `contract-${run}`;
      const res = await target.http.post('/api/v1/namespaces', { metadata: { name: namespace } });
      if (res.status !== 201)
        throw new Error(`cannot create namespace ${namespace} on the ${target.kind} server: ${res.text}`);
    });
    afterAll(async () => {
      await target?.http.delete(`/api/v1/namespaces/${namespace}`);
      await target?.stop();
    });

    discoveryContract(ctx);
    crudContract(ctx);
    lifecycleContract(ctx);
    selectionContract(ctx);
    watchContract(ctx);
    metadataOnlyContract(ctx);
    patchContract(ctx);
    managedFieldsResetContract(ctx);
    crdContract(ctx);
    fieldValidationContract(ctx);
    fieldTypesContract(ctx);
    customResourceValidationContract(ctx);
    scaleContract(ctx);
    deletionPropagationContract(ctx);
    dryRunContract(ctx);
    openApiContract(ctx);
    tableContract(ctx);
    everydayKindsContract(ctx);
    secretsContract(ctx);
    defaultingContract(ctx);
    serviceAddressesContract(ctx);
    authorizationContract(ctx);
    expiryContract(ctx);
    leaseContract(ctx);
    eventsContract(ctx);
  });
}
