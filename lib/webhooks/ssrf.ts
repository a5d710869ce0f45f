// SSRF rule for webhook destinations (ADR 027): the host is resolved here, every address it
// resolves to must be public unicast (ipaddr.js's ranges: loopback, private, link-local,
// unique-local, carrier-grade NAT, multicast, unspecified, reserved, 6to4/NAT64 forms... are
// refused; IPv4-mapped IPv6 is judged as the IPv4 address it carries) unless the admin allowed
// private destinations on that webhook, and the request then connects to the address that was
// checked (lib/webhooks/send.ts passes it as the socket's lookup): no second DNS answer between
// the check and the connection (DNS rebinding).
import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";

export type Destination = { address: string; family: 4 | 6 };

export class DestinationRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DestinationRefusedError";
  }
}

/** The range name of a non-public address ("loopback", "private", ...), null when public. */
export function nonPublicRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return "invalid";
  const range = ipaddr.process(address).range();
  return range === "unicast" ? null : range;
}

const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, "$1");

/**
 * Resolves `hostname` (a URL's hostname; IPv6 in brackets) and applies the rule to every address.
 * Throws DestinationRefusedError for a refused or unresolvable host; returns the addresses the
 * connection may use (all checked).
 */
export async function resolveDestination(
  hostname: string,
  allowPrivate: boolean,
): Promise<Destination[]> {
  const host = bare(hostname);
  let addresses: Destination[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: ipaddr.parse(host).kind() === "ipv6" ? 6 : 4 }];
  } else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })) as Destination[];
    } catch {
      throw new DestinationRefusedError(`The host name ${host} does not resolve.`);
    }
    if (addresses.length === 0) {
      throw new DestinationRefusedError(`The host name ${host} does not resolve.`);
    }
  }
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const range = nonPublicRange(address);
      if (range) {
        throw new DestinationRefusedError(
          `${host} is ${host === address ? "" : `resolved to ${address}, `}a ${range} address: ` +
            `private, loopback and link-local destinations are refused unless "Allow private ` +
            `addresses" is on for this webhook.`,
        );
      }
    }
  }
  return addresses;
}
