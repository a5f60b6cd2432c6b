/**
 * The emulator's TLS certificate: a self-signed one for localhost, 127.0.0.1 and ::1,
 * generated once (the `selfsigned` library, pure JavaScript: no `openssl` binary needed, as
 * in slim and Alpine containers) and kept beside the database for later starts, or the
 * user's own.
 */

import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A certificate and its private key, in PEM. */
export interface TlsOptions {
  /** The certificate (chain), PEM. */
  cert: string;
  /** Its private key, PEM. */
  key: string;
}

/** Where a generated certificate and its key are kept, and whether this start generated them. */
export interface GeneratedCertificate extends TlsOptions {
  readonly certFile: string;
  readonly keyFile: string;
  readonly created: boolean;
}

/** The names the generated certificate is valid for. */
export const CERTIFICATE_NAMES = ['localhost', '127.0.0.1', '::1'] as const;

const VALID_DAYS = 365;

/** Whether the certificate `pem` is still valid for at least a day. */
function stillValid(pem: string): boolean {
  try {
    return Date.parse(new X509Certificate(pem).validTo) > Date.now() + 24 * 3600 * 1000;
  } catch {
    return false;
  }
}

/**
 * The self-signed certificate kept in `dir` (`localhost-cert.pem`, `localhost-key.pem`):
 * read when it is there and valid for another day, generated (EC P-256, 365 days) otherwise.
 */
export async function localCertificate(dir: string): Promise<GeneratedCertificate> {
  const certFile = resolve(join(dir, 'localhost-cert.pem'));
  const keyFile = resolve(join(dir, 'localhost-key.pem'));
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readFileSync(certFile, 'utf8');
    if (stillValid(cert)) {
      return { cert, key: readFileSync(keyFile, 'utf8'), certFile, keyFile, created: false };
    }
  }
  // Loaded only to generate: the library and its X.509 stack take about a second to load,
  // which every start and every import of the package would otherwise pay.
  const { generate } = await import('selfsigned');
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + VALID_DAYS * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  writeFileSync(certFile, pems.cert);
  return { cert: pems.cert, key: pems.private, certFile, keyFile, created: true };
}
