/**
 * Who is asking, for the limits of failed authentication. The address is the TCP peer's, which
 * the HTTP server stamps on every request (stampPeer, installed by lib/server/http-guard.ts) in a
 * header the client cannot forge: its value carries a secret of this process. X-Forwarded-For is
 * believed only from a peer listed in SYNCWATCH_TRUSTED_PROXIES, and then only up to the first
 * hop (from the right) that is not a trusted proxy itself: a client cannot choose its own address.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

const PEER_HEADER = "x-syncwatch-peer";

const g = globalThis as unknown as { __syncwatchPeerSecret?: string };
// Next may load this module more than once (the server's and the routes' bundles): one secret per process.
const secret = (g.__syncwatchPeerSecret ??= randomBytes(16).toString("hex"));

/** Called by the HTTP server for each request before Next sees it: the socket's address, signed. */
export function stampPeer(req: IncomingMessage): void {
  req.headers[PEER_HEADER] = `${secret} ${req.socket?.remoteAddress ?? ""}`;
}

/** The stamped peer address; null when the request did not pass the stamping server (or forged it). */
export function peerAddress(req: Request): string | null {
  const v = req.headers.get(PEER_HEADER);
  if (!v) return null;
  const space = v.indexOf(" ");
  if (space < 0 || v.slice(0, space) !== secret) return null;
  return normaliseAddress(v.slice(space + 1)) ?? null;
}

/** An IP address in one spelling (IPv4-mapped IPv6 as IPv4, IPv6 lower-case and expanded); null if not an IP. */
export function normaliseAddress(text: string): string | null {
  let s = text.trim();
  if (s.startsWith("[") && s.includes("]"))
    s = s.slice(1, s.indexOf("]")); // "[::1]:443"
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(s)) s = s.slice(0, s.indexOf(":")); // "203.0.113.7:5123"
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(s);
  if (mapped) s = mapped[1];
  const kind = isIP(s);
  if (kind === 4) return s;
  if (kind === 6) return expandV6(s);
  return null;
}

function expandV6(s: string): string {
  const lower = s.toLowerCase();
  let tail: string[] = [];
  let head = lower;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (v4) {
    const b = v4[1].split(".").map(Number);
    tail = [((b[0] << 8) | b[1]).toString(16), ((b[2] << 8) | b[3]).toString(16)];
    head = lower.slice(0, -v4[1].length).replace(/:$/, "");
    if (head.endsWith(":")) head += ":";
  }
  const [left, right] = head.includes("::") ? head.split("::") : [head, null];
  const l = left ? left.split(":").filter((x) => x !== "") : [];
  const r = right ? right.split(":").filter((x) => x !== "") : [];
  const missing = 8 - l.length - r.length - tail.length;
  const groups = right === null ? [...l, ...tail] : [...l, ...Array(Math.max(0, missing)).fill("0"), ...r, ...tail];
  return groups.map((x) => x.padStart(4, "0")).join(":");
}

/** An address range: a single address or a CIDR block, IPv4 or IPv6. */
export interface AddressRange {
  bits: bigint;
  prefix: number;
  v6: boolean;
}

function toBits(address: string): { bits: bigint; v6: boolean } {
  if (!address.includes(":")) {
    const b = address.split(".").map(Number);
    return { bits: BigInt(((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3]), v6: false };
  }
  return { bits: BigInt("0x" + address.split(":").join("")), v6: true };
}

/** Parses "10.0.0.0/8", "192.0.2.1", "::1" or "fd00::/8"; null when it is none of these. */
export function parseRange(text: string): AddressRange | null {
  const [addr, len, extra] = text.trim().split("/");
  if (extra !== undefined) return null;
  const a = normaliseAddress(addr ?? "");
  if (!a) return null;
  const { bits, v6 } = toBits(a);
  const max = v6 ? 128 : 32;
  if (len !== undefined && !/^\d{1,3}$/.test(len)) return null;
  const prefix = len === undefined ? max : Number(len);
  if (prefix > max) return null;
  return { bits, prefix, v6 };
}

export function inRange(address: string, range: AddressRange): boolean {
  const { bits, v6 } = toBits(address);
  if (v6 !== range.v6) return false;
  const width = BigInt(v6 ? 128 : 32);
  const shift = width - BigInt(range.prefix);
  return bits >> shift === range.bits >> shift;
}

const trusted = (address: string, proxies: readonly AddressRange[]) => proxies.some((r) => inRange(address, r));

/**
 * The client's address: the peer's, or, when the peer is a trusted proxy, the right-most
 * X-Forwarded-For hop that is not a trusted proxy. "unknown" when the request did not come through
 * the stamping server (it then shares one count with every such request, which limits only
 * failures: a valid key is never refused).
 */
export function clientAddress(req: Request, proxies: readonly AddressRange[]): string {
  const peer = peerAddress(req);
  if (!peer) return "unknown";
  if (!trusted(peer, proxies)) return peer;
  const hops = (req.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normaliseAddress(hops[i]);
    // Only the client's own part of the header can be garbage: count it as the hop after it.
    if (!hop) return client;
    client = hop;
    if (!trusted(hop, proxies)) return hop;
  }
  return client;
}

/**
 * Whether the browser reached the dashboard over https, for the session cookie's Secure flag: an
 * https SYNCWATCH_PUBLIC_URL says so; without one, only a trusted proxy's X-Forwarded-Proto is
 * believed (a client's own header is not).
 */
export function reachedOverHttps(req: Request, publicUrl: string | null, proxies: readonly AddressRange[]): boolean {
  if (publicUrl) return publicUrl.startsWith("https:");
  const peer = peerAddress(req);
  if (!peer || !trusted(peer, proxies)) return false;
  return req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}

/** What failures are counted against: one IPv4 address, or an IPv6 client's /64 (one subscriber's block). */
export function clientBucket(address: string): string {
  if (!address.includes(":")) return address;
  return address.split(":").slice(0, 4).join(":") + "::/64";
}
