import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServingCertificate } from '../tls/certificates.js';

/** Files of the test cluster's own PKI, all inside `dir`. */
export interface ClusterPki {
  readonly caCert: string;
  readonly servingCert: string;
  readonly servingKey: string;
  readonly serviceAccountKey: string;
  readonly serviceAccountPub: string;
  /** PEM of the CA, for kubeconfigs. */
  readonly caPem: string;
}

/** The names kube-apiserver answers to here: loopback, and the in-cluster Service names. */
const SERVING_HOSTS = [
  '127.0.0.1',
  'localhost',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
];

/**
 * Generates a CA, a serving certificate for 127.0.0.1/localhost and a service-account key pair,
 * with Node's crypto (the same CA code as the fake's https, tls/certificates.ts): a fresh machine
 * needs no openssl binary.
 */
export function generatePki(dir: string): ClusterPki {
  const serving = createServingCertificate({ hosts: SERVING_HOSTS, days: 2, caName: 'kates-test-ca' });
  // Service-account tokens are RS256 by default: kube-apiserver signs them with an RSA key.
  const sa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const files = {
    caCert: join(dir, 'ca.crt'),
    servingCert: join(dir, 'serving.crt'),
    servingKey: join(dir, 'serving.key'),
    serviceAccountKey: join(dir, 'sa.key'),
    serviceAccountPub: join(dir, 'sa.pub'),
  };
  writeFileSync(files.caCert, serving.caPem);
  writeFileSync(files.servingCert, serving.certPem);
  writeFileSync(files.servingKey, serving.keyPem, { mode: 0o600 });
  writeFileSync(files.serviceAccountKey, sa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), {
    mode: 0o600,
  });
  writeFileSync(files.serviceAccountPub, sa.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  return { ...files, caPem: serving.caPem };
}
