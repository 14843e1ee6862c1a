import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A timestamp authority on loopback: OpenSSL's own RFC 3161 responder (`openssl ts -reply`) behind HTTP. */
export interface TestTsa {
  url: string;
  /** The PEM of the authority's root, which an auditor would trust. */
  rootPem: string;
  /** Where the root lies as a file, for `openssl ts -verify -CAfile`. */
  rootFile: string;
  /** How many requests it answered. */
  answered(): number;
  /**
   * `token`'s content (its TSTInfo: the digest and the time) re-signed with a TLS server certificate issued by the same
   * root: what someone with any certificate under a trusted root could make. Base64 DER, like a real token.
   */
  forgeWithTlsCertificate(token: string): string;
  close(): Promise<void>;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Starts a TSA with a fresh root and signer certificate (P-256, timeStamping EKU), on a free loopback port. */
export async function startTestTsa(): Promise<TestTsa> {
  const dir = mkdtempSync(join(tmpdir(), 'tsa-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(
    [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'root.key',
      '-out',
      'root.pem',
      '-days',
      '2',
      '-subj',
      '/CN=Test TSA Root',
      '-addext',
      'basicConstraints=critical,CA:true',
      '-addext',
      'keyUsage=critical,keyCertSign',
    ],
    dir,
  );
  openssl(['req', ...ec, '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', '/CN=Test TSA'], dir);
  writeFileSync(
    join(dir, 'ext.cnf'),
    '[signer]\nbasicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n',
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'tsa.csr',
      '-CA',
      'root.pem',
      '-CAkey',
      'root.key',
      '-set_serial',
      '2',
      '-out',
      'tsa.pem',
      '-days',
      '2',
      '-extfile',
      'ext.cnf',
      '-extensions',
      'signer',
    ],
    dir,
  );
  // A TLS server certificate under the same root, valid from now: what a forger of tokens could hold.
  writeFileSync(join(dir, 'tls.cnf'), '[tls]\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n');
  openssl(['req', ...ec, '-keyout', 'tls.key', '-out', 'tls.csr', '-subj', '/CN=shop.example TLS'], dir);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'tls.csr',
      '-CA',
      'root.pem',
      '-CAkey',
      'root.key',
      '-set_serial',
      '3',
      '-out',
      'tls.pem',
      '-days',
      '2',
      '-extfile',
      'tls.cnf',
      '-extensions',
      'tls',
    ],
    dir,
  );
  writeFileSync(join(dir, 'serial'), '01\n');
  writeFileSync(
    join(dir, 'tsa.cnf'),
    [
      '[ tsa ]',
      'default_tsa = tsa1',
      '[ tsa1 ]',
      `serial = ${join(dir, 'serial')}`,
      'crypto_device = builtin',
      `signer_cert = ${join(dir, 'tsa.pem')}`,
      `certs = ${join(dir, 'tsa.pem')}`,
      `signer_key = ${join(dir, 'tsa.key')}`,
      'signer_digest = sha256',
      'default_policy = 1.2.3.4.1',
      'other_policies = 1.2.3.4.2',
      'digests = sha256',
      'accuracy = secs:1',
      'ordering = no',
      'tsa_name = yes',
      'ess_cert_id_chain = no',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );
  let answered = 0;
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      n += 1;
      const query = join(dir, `q${n}.tsq`);
      const reply = join(dir, `r${n}.tsr`);
      try {
        if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') {
          res.writeHead(415).end();
          return;
        }
        writeFileSync(query, Buffer.concat(chunks));
        openssl(['ts', '-reply', '-config', join(dir, 'tsa.cnf'), '-queryfile', query, '-out', reply], dir);
        answered += 1;
        res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(readFileSync(reply));
      } catch {
        res.writeHead(500).end();
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    rootPem: readFileSync(join(dir, 'root.pem'), 'utf8'),
    rootFile: join(dir, 'root.pem'),
    answered: () => answered,
    forgeWithTlsCertificate: (token) => {
      writeFileSync(join(dir, 'real.der'), Buffer.from(token, 'base64'));
      openssl(['cms', '-verify', '-noverify', '-inform', 'DER', '-in', 'real.der', '-out', 'tstinfo.der'], dir);
      openssl(
        [
          'cms',
          '-sign',
          '-binary',
          '-nodetach',
          '-in',
          'tstinfo.der',
          '-signer',
          'tls.pem',
          '-inkey',
          'tls.key',
          '-econtent_type',
          '1.2.840.113549.1.9.16.1.4',
          '-outform',
          'DER',
          '-out',
          'forged.der',
        ],
        dir,
      );
      return readFileSync(join(dir, 'forged.der')).toString('base64');
    },
    close: async () => {
      await new Promise<void>((done) => server.close(() => done()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
