/*
 * Where webhooks may go. A URL naming a private, loopback, link-local or otherwise internal
 * address (literally, or through DNS at delivery time) is refused unless WEBHOOK_ALLOWED_HOSTS
 * names it, so that a tenant cannot make the server call into its own network (SSRF).
 * Redirects are not followed at delivery, so a public URL cannot bounce into the network either.
 * Limit: between the DNS check and the connection a hostile DNS server could change its answer
 * (rebinding); deployments that care put the dispatcher behind an egress proxy.
 */

export interface WebhookTargetPolicy {
  /** Host names, IP addresses and CIDR ranges allowed even though internal. */
  allowedHosts: readonly string[];
  /** Production: only https. */
  requireHttps: boolean;
}

type Bytes = number[];

function parseIpv4(text: string): Bytes | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
  return parts.map(Number);
}

function parseIpv6(text: string): Bytes | undefined {
  let address = text.replace(/^\[|\]$/g, '').split('%')[0]!;
  let tail: Bytes = [];
  const lastColon = address.lastIndexOf(':');
  if (address.includes('.')) {
    const v4 = parseIpv4(address.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = v4;
    address = `${address.slice(0, lastColon)}:0:0`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (!all.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  const bytes = all.flatMap((group) => [parseInt(group, 16) >> 8, parseInt(group, 16) & 255]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

export function parseIp(text: string): Bytes | undefined {
  return parseIpv4(text) ?? parseIpv6(text);
}

function inRange(address: Bytes, network: Bytes, prefix: number): boolean {
  if (address.length !== network.length) return false;
  for (let bit = 0; bit < prefix; bit += 1) {
    const mask = 0x80 >> (bit % 8);
    if ((address[Math.floor(bit / 8)]! & mask) !== (network[Math.floor(bit / 8)]! & mask)) return false;
  }
  return true;
}

const INTERNAL_RANGES: [string, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
];

/** Internal: not reachable on the public internet, or reaching the host itself. */
export function isInternalAddress(address: Bytes): boolean {
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address to judge.
  if (address.length === 16 && (inRange(address, parseIp('::ffff:0:0')!, 96) || inRange(address, parseIp('64:ff9b::')!, 96))) {
    return isInternalAddress(address.slice(12));
  }
  return INTERNAL_RANGES.some(([network, prefix]) => inRange(address, parseIp(network)!, prefix));
}

function allowed(host: string, address: Bytes | undefined, policy: WebhookTargetPolicy): boolean {
  return policy.allowedHosts.some((entry) => {
    const [network, prefix] = entry.split('/');
    const networkBytes = parseIp(network!);
    if (!networkBytes) return entry.toLowerCase() === host.toLowerCase();
    return address !== undefined && inRange(address, networkBytes, prefix === undefined ? networkBytes.length * 8 : Number(prefix));
  });
}

const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa)$/i;

/** Checks a URL as written: scheme, credentials, and an internal host named literally. Returns the reason it is refused. */
export function refuseWebhookUrl(raw: string, policy: WebhookTargetPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (policy.requireHttps && url.protocol !== 'https:') return 'must be an https:// URL';
  if (url.username || url.password) return 'must not carry credentials; authenticate the receiver by the signature';
  if (url.hash) return 'must not have a fragment';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const address = parseIp(host);
  if (allowed(host, address, policy)) return undefined;
  if (address ? isInternalAddress(address) : INTERNAL_NAMES.test(host) || !host.includes('.')) {
    return 'names a private, loopback or internal host; only hosts in WEBHOOK_ALLOWED_HOSTS may be internal';
  }
  return undefined;
}

/** Checks what a host name resolves to right before a delivery. Returns the reason it is refused. */
export function refuseResolvedAddresses(host: string, addresses: readonly string[], policy: WebhookTargetPolicy): string | undefined {
  for (const text of addresses) {
    const address = parseIp(text);
    if (!address) return `resolved to an address that cannot be checked (${text})`;
    if (isInternalAddress(address) && !allowed(host, address, policy)) return `${host} resolves to an internal address (${text})`;
  }
  return undefined;
}
