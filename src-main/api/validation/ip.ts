/** IP and CIDR checks (apimachinery util/validation/ip.go, core ValidateNonSpecialIP). */
import { isIP } from 'node:net';
import { type FieldError, field } from '../field-errors.ts';

export function isValidIPErrors(path: string, value: string): FieldError[] {
  // Go's netip-based parser also refuses IPv4 with leading zeros, as node:net does.
  return isIP(value) ? [] : [field.invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

export function isValidCIDRErrors(path: string, value: string): FieldError[] {
  const [ip, bits, ...rest] = value.split('/');
  const v = isIP(ip ?? '');
  const n = Number(bits);
  const ok = rest.length === 0 && v !== 0 && /^\d+$/.test(bits ?? '') && n <= (v === 4 ? 32 : 128);
  return ok ? [] : [field.invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

export function isIPv6(value: string): boolean {
  return isIP(value) === 6;
}

/** ValidateNonSpecialIP: endpoints and external IPs may not be unspecified, loopback, link-local or link-local multicast. */
export function validateNonSpecialIP(ip: string, path: string): FieldError[] {
  const v = isIP(ip);
  if (v === 0) return [field.invalid(path, ip, 'must be a valid IP address')];
  const lower = ip.toLowerCase();
  if (v === 4) {
    const [a, b, c] = ip.split('.').map(Number);
    if (ip === '0.0.0.0') return [field.invalid(path, ip, 'may not be unspecified (0.0.0.0)')];
    if (a === 127) return [field.invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)')];
    if (a === 169 && b === 254) return [field.invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)')];
    if (a === 224 && b === 0 && c === 0) return [field.invalid(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)')];
    return [];
  }
  if (lower === '::') return [field.invalid(path, ip, 'may not be unspecified (::)')];
  if (lower === '::1') return [field.invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)')];
  if (/^fe[89ab]/.test(lower)) return [field.invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)')];
  if (lower.startsWith('ff02:')) return [field.invalid(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)')];
  return [];
}
