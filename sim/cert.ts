import { generateKeyPair, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import forge from "node-forge";

/** A CA certificate and a server certificate for 127.0.0.1/localhost signed by it, all PEM. */
export interface SimCertificates {
  caCert: string;
  serverCert: string;
  serverKey: string;
}

const generateKeyPairAsync = promisify(generateKeyPair);

interface KeyPair {
  privateKey: forge.pki.rsa.PrivateKey;
  publicKey: forge.pki.rsa.PublicKey;
  pem: string;
}

/**
 * RSA keys come from node:crypto (native, off the main thread, so the two keys are made in parallel);
 * node-forge only builds and signs the certificates.
 */
async function rsaKeyPair(): Promise<KeyPair> {
  const { privateKey } = await generateKeyPairAsync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const key = forge.pki.privateKeyFromPem(privateKey);
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e), pem: privateKey };
}

function serial(): string {
  return "01" + randomBytes(15).toString("hex"); // positive, unique per run
}

/**
 * Generates a fresh CA and a server certificate at every start: clients trust the CA explicitly (never by
 * turning verification off), and no key material is kept between runs.
 */
export async function generateCertificates(now = new Date()): Promise<SimCertificates> {
  const [ca, server] = await Promise.all([rsaKeyPair(), rsaKeyPair()]);
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  caCert.serialNumber = serial();
  caCert.validity.notBefore = new Date(now.getTime() - 86400000);
  caCert.validity.notAfter = new Date(now.getTime() + 5 * 365 * 86400000);
  const caName = [
    { name: "commonName", value: "Rewind Graph Simulator CA" },
    { name: "organizationName", value: "Rewind simulator" },
  ];
  caCert.setSubject(caName);
  caCert.setIssuer(caName);
  caCert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const cert = forge.pki.createCertificate();
  cert.publicKey = server.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now.getTime() - 86400000);
  cert.validity.notAfter = new Date(now.getTime() + 365 * 86400000);
  cert.setSubject([{ name: "commonName", value: "localhost" }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }, { type: 2, value: "localhost" }] },
    { name: "authorityKeyIdentifier", keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());

  return { caCert: forge.pki.certificateToPem(caCert), serverCert: forge.pki.certificateToPem(cert), serverKey: server.pem };
}
