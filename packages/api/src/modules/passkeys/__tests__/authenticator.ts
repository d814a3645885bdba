import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import { isoBase64URL, isoCBOR } from "@simplewebauthn/server/helpers";

/**
 * A software authenticator for tests: an ES256 (P-256) key pair from node:crypto, answering
 * registration with attestation "none" and authentication with a signed assertion, byte for byte
 * as WebAuthn §6.1 and §6.5 describe. Enough to exercise the server's checks (signature, challenge,
 * origin, rpID, counter) without a browser.
 */
/** base64url of any bytes (a Node Buffer is copied into a plain Uint8Array). */
const b64u = (bytes: Uint8Array) => isoBase64URL.fromBuffer(new Uint8Array(bytes));

export class SoftAuthenticator {
  readonly credentialId = randomBytes(32);
  private readonly privateKey: KeyObject;
  private readonly publicJwk: { x: string; y: string };
  counter = 0;

  constructor(readonly backedUp = false) {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: "jwk" });
    if (!jwk.x || !jwk.y) throw new Error("no EC coordinates");
    this.publicJwk = { x: jwk.x, y: jwk.y };
  }

  get id(): string {
    return b64u(this.credentialId);
  }

  private authData(rpId: string, attested: boolean): Buffer {
    const rpIdHash = createHash("sha256").update(rpId).digest();
    // UP (user present) + UV (user verified) [+ BE/BS backup flags] [+ AT attested credential data]
    let flags = 0x01 | 0x04;
    if (this.backedUp) flags |= 0x08 | 0x10;
    if (attested) flags |= 0x40;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.counter);
    const parts = [rpIdHash, Buffer.from([flags]), count];
    if (attested) {
      const coseKey = new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, isoBase64URL.toBuffer(this.publicJwk.x)],
        [-3, isoBase64URL.toBuffer(this.publicJwk.y)],
      ]);
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(this.credentialId.length);
      parts.push(Buffer.alloc(16), idLength, this.credentialId, Buffer.from(isoCBOR.encode(coseKey)));
    }
    return Buffer.concat(parts);
  }

  /** The answer to navigator.credentials.create() for these options. */
  register(options: { challenge: string; rp: { id?: string } }, origin: string) {
    const rpId = options.rp.id ?? new URL(origin).hostname;
    const clientData = Buffer.from(JSON.stringify({ type: "webauthn.create", challenge: options.challenge, origin, crossOrigin: false }));
    const attestation = isoCBOR.encode(
      new Map<string, string | Map<string, string> | Uint8Array>([
        ["fmt", "none"],
        ["attStmt", new Map<string, string>()],
        ["authData", new Uint8Array(this.authData(rpId, true))],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key" as const,
      response: {
        clientDataJSON: b64u(clientData),
        attestationObject: b64u(attestation),
        transports: ["internal"],
      },
      clientExtensionResults: {},
    };
  }

  /** The answer to navigator.credentials.get() for these options; `tamper` breaks the signature. */
  assert(options: { challenge: string; rpId?: string }, origin: string, { tamper = false } = {}) {
    this.counter += 1;
    const rpId = options.rpId ?? new URL(origin).hostname;
    const clientData = Buffer.from(JSON.stringify({ type: "webauthn.get", challenge: options.challenge, origin, crossOrigin: false }));
    const authData = this.authData(rpId, false);
    const signed = Buffer.concat([authData, createHash("sha256").update(clientData).digest()]);
    const signature = sign("sha256", tamper ? Buffer.concat([signed, Buffer.from([0])]) : signed, this.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key" as const,
      response: {
        clientDataJSON: b64u(clientData),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
      },
      clientExtensionResults: {},
    };
  }
}
