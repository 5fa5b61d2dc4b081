import { spawnSync } from 'node:child_process';

function ip(args: readonly string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim()}`);
}

/** Whether network namespaces can be made here (root with CAP_NET_ADMIN and iproute2). */
export function canMakeNamespaces(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = `tsnas-probe-${process.pid}`;
  if (spawnSync('ip', ['netns', 'add', probe]).status !== 0) return false;
  spawnSync('ip', ['netns', 'del', probe]);
  return true;
}

/**
 * A hub namespace (where Redis runs) and spoke namespaces (driver, workers), each joined to the hub by
 * a veth pair on its own /24: separate addresses and links, as separate hosts would have, and nothing
 * in the host's own namespace (both ends of every pair are moved out).
 */
export class StarNetwork {
  readonly hub: string;
  private readonly spokes: string[] = [];
  private readonly tag = String(process.pid % 10000);

  constructor() {
    this.hub = `tsnas-hub-${this.tag}`;
    ip(['netns', 'add', this.hub]);
    ip(['-n', this.hub, 'link', 'set', 'lo', 'up']);
  }

  /** Adds a spoke namespace; returns its name and the hub's address as that spoke sees it. */
  spoke(): { ns: string; hubAddress: string; link: string } {
    const i = this.spokes.length + 1;
    const ns = `tsnas-s${i}-${this.tag}`;
    const link = `ts${i}s${this.tag}`;
    const peer = `ts${i}h${this.tag}`;
    ip(['netns', 'add', ns]);
    this.spokes.push(ns);
    ip(['link', 'add', link, 'type', 'veth', 'peer', 'name', peer]);
    ip(['link', 'set', link, 'netns', ns]);
    ip(['link', 'set', peer, 'netns', this.hub]);
    ip(['-n', ns, 'addr', 'add', `10.214.${i}.2/24`, 'dev', link]);
    ip(['-n', this.hub, 'addr', 'add', `10.214.${i}.1/24`, 'dev', peer]);
    for (const [n, dev] of [[ns, link], [ns, 'lo'], [this.hub, peer]] as const) ip(['-n', n, 'link', 'set', dev, 'up']);
    return { ns, hubAddress: `10.214.${i}.1`, link };
  }

  /** Cuts (or restores) a spoke's link: its machine drops off the network. */
  setLink(ns: string, link: string, up: boolean): void {
    ip(['-n', ns, 'link', 'set', link, up ? 'up' : 'down']);
  }

  /** Deletes every namespace (their veth pairs go with them). */
  dispose(): void {
    for (const ns of [...this.spokes, this.hub]) spawnSync('ip', ['netns', 'del', ns]);
  }
}

/** The command prefix that runs a program inside a namespace. */
export const inNamespace = (ns: string): string[] => ['ip', 'netns', 'exec', ns];
