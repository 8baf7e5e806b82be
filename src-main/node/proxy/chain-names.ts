/** kube-proxy's chain names: SHA-256 of the service port name + protocol, standard base32, first 16 characters. */
import { sha256 } from '../../net/sha256.ts';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 with padding, like Go's base32.StdEncoding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

/** Chain names are recomputed on every sync for the same service ports: remember them (bounded). */
const hashes = new Map<string, string>();
const MAX_REMEMBERED = 100_000;

export function portProtoHash(servicePortName: string, protocol: string): string {
  const input = servicePortName + protocol;
  let h = hashes.get(input);
  if (h === undefined) {
    h = base32(sha256(input)).slice(0, 16);
    if (hashes.size >= MAX_REMEMBERED) hashes.clear();
    hashes.set(input, h);
  }
  return h;
}

/** `ns/svc`, plus `:port` when the service port is named (proxy.ServicePortName.String()). */
export function servicePortName(namespace: string, name: string, portName?: string): string {
  return `${namespace}/${name}${portName ? `:${portName}` : ''}`;
}

export const svcChain = (spn: string, proto: string) => `KUBE-SVC-${portProtoHash(spn, proto)}`;
export const svlChain = (spn: string, proto: string) => `KUBE-SVL-${portProtoHash(spn, proto)}`;
export const extChain = (spn: string, proto: string) => `KUBE-EXT-${portProtoHash(spn, proto)}`;
export const fwChain = (spn: string, proto: string) => `KUBE-FW-${portProtoHash(spn, proto)}`;
/** `endpoint` is `ip:port`. */
export const sepChain = (spn: string, proto: string, endpoint: string) => `KUBE-SEP-${portProtoHash(spn, proto + endpoint)}`;
