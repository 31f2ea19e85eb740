import { X509Certificate } from 'node:crypto';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent, fetch } from 'undici';
import { describe, expect, it } from 'vitest';
import { createServingCertificate } from './certificates.js';
import { oid, time, unsignedInteger } from './der.js';

describe('createServingCertificate', () => {
  it('makes a CA and a serving certificate for 127.0.0.1 and localhost that the CA signed', () => {
    const pki = createServingCertificate();
    const ca = new X509Certificate(pki.caPem);
    const leaf = new X509Certificate(pki.certPem);
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkHost('example.com')).toBeUndefined();
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(new Date(leaf.validFrom).getTime()).toBeLessThan(Date.now());
    expect(new Date(leaf.validTo).getTime()).toBeGreaterThan(Date.now() + 300 * 86400_000);
  });

  it('names the hosts it is given, IPv6 addresses included', () => {
    const leaf = new X509Certificate(createServingCertificate({ hosts: ['::1', 'kates.test'] }).certPem);
    expect(leaf.subjectAltName).toBe('IP Address:0:0:0:0:0:0:0:1, DNS:kates.test');
  });

  it('gives each call its own CA, so one server never trusts another', () => {
    const a = new X509Certificate(createServingCertificate().caPem);
    const b = new X509Certificate(createServingCertificate().certPem);
    expect(b.verify(a.publicKey)).toBe(false);
  });

  it('serves https that a client trusting the CA accepts and one without it refuses', async () => {
    const pki = createServingCertificate();
    const server = createServer({ key: pki.keyPem, cert: pki.certPem }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const trusting = new Agent({ connect: { ca: pki.caPem } });
    try {
      const res = await fetch(url, { dispatcher: trusting });
      expect(await res.text()).toBe('ok');
      await expect(fetch(url)).rejects.toThrow();
    } finally {
      await trusting.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('DER encoding', () => {
  it('encodes object identifiers with multi-byte arcs', () => {
    expect(oid('1.2.840.10045.4.3.2').toString('hex')).toBe('06082a8648ce3d040302');
  });

  it('keeps integers positive by prepending a zero byte when the high bit is set', () => {
    expect(unsignedInteger(Buffer.from([0x80])).toString('hex')).toBe('02020080');
    expect(unsignedInteger(Buffer.from([0, 0, 0x7f])).toString('hex')).toBe('02017f');
  });

  it('writes UTCTime before 2050 and GeneralizedTime from 2050 on', () => {
    expect(time(new Date('2026-12-04T10:11:12Z')).toString('ascii').slice(2)).toBe('261204101112Z');
    expect(time(new Date('2050-01-01T00:00:00Z')).toString('ascii').slice(2)).toBe('20500101000000Z');
  });
});
