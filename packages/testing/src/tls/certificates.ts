import { generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  explicit,
  implicit,
  octetString,
  oid,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './der.js';

/** A serving certificate and the CA that signed it, PEM-encoded. */
export interface ServingCertificate {
  /** The CA's certificate: what a kubeconfig's `certificate-authority-data` holds. */
  readonly caPem: string;
  /** The server's certificate (for 127.0.0.1 and localhost by default). */
  readonly certPem: string;
  /** The server's private key (PKCS#8). Never log it. */
  readonly keyPem: string;
}

/** Options of {@link createServingCertificate}. */
export interface ServingCertificateOptions {
  /** Names the certificate is valid for: IP addresses and DNS names (default 127.0.0.1, localhost). */
  readonly hosts?: readonly string[];
  /** Days both certificates are valid for (default 365). */
  readonly days?: number;
  /** The CA's common name (default `kates-fake-ca`). */
  readonly caName?: string;
}

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));

function name(commonName: string): Buffer {
  return sequence(set(sequence(oid('2.5.4.3'), utf8String(commonName))));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  // IPv6: expand `::` to the missing zero groups, then 8 groups of 2 bytes.
  const [head = '', tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return Buffer.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

function subjectAltName(hosts: readonly string[]): Buffer {
  return sequence(
    ...hosts.map((h) => (isIP(h) ? implicit(7, ipBytes(h)) : implicit(2, Buffer.from(h, 'ascii')))),
  );
}

interface CertificateFields {
  readonly subject: string;
  readonly issuer: string;
  readonly publicKey: KeyObject;
  readonly signingKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: readonly Buffer[];
}

/** An X.509 v3 certificate signed with ECDSA-SHA256, as PEM. */
function certificate(f: CertificateFields): string {
  // A positive 127-bit serial: random, as RFC 5280 asks of a CA that issues more than one.
  const serial = randomBytes(16);
  serial[0] = (serial[0] as number) & 0x7f;
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(serial),
    ECDSA_WITH_SHA256,
    name(f.issuer),
    sequence(time(f.notBefore), time(f.notAfter)),
    name(f.subject),
    f.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...f.extensions)),
  );
  const signature = sign('sha256', tbs, f.signingKey);
  const der = sequence(tbs, ECDSA_WITH_SHA256, bitString(signature));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

// Key usage bits, most significant first: digitalSignature (0), keyCertSign (5), cRLSign (6).
const CA_KEY_USAGE = bitString(Buffer.from([0x86]), 7);
const SERVER_KEY_USAGE = bitString(Buffer.from([0x80]), 1);
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

/**
 * A fresh CA and a serving certificate it signed, made with Node's crypto (ECDSA P-256), for a
 * local server that clients verify as they verify a cluster: kubectl, client-go and
 * @kubernetes/client-node trust the CA from the kubeconfig and check the server's name.
 */
export function createServingCertificate(options: ServingCertificateOptions = {}): ServingCertificate {
  const hosts = options.hosts ?? ['127.0.0.1', 'localhost'];
  if (hosts.length === 0)
    throw new Error('createServingCertificate: hosts must name at least one IP or DNS name');
  // An hour back: a client whose clock is a little behind still accepts the certificate.
  const notBefore = new Date(Date.now() - 3600_000);
  const notAfter = new Date(notBefore.getTime() + (options.days ?? 365) * 86400_000);
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const server = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caName = options.caName ?? 'kates-fake-ca';
  const caPem = certificate({
    subject: caName,
    issuer: caName,
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    notBefore,
    notAfter,
    extensions: [
      extension('2.5.29.15', true, CA_KEY_USAGE),
      extension('2.5.29.19', true, sequence(boolean(true))),
    ],
  });
  const certPem = certificate({
    subject: hosts[0] as string,
    issuer: caName,
    publicKey: server.publicKey,
    signingKey: ca.privateKey,
    notBefore,
    notAfter,
    extensions: [
      extension('2.5.29.15', true, SERVER_KEY_USAGE),
      extension('2.5.29.37', false, sequence(oid(SERVER_AUTH))),
      extension('2.5.29.19', true, sequence()),
      extension('2.5.29.17', false, subjectAltName(hosts)),
    ],
  });
  const keyPem = server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { caPem, certPem, keyPem };
}
