import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './cli.js';

/** Whether `redis-server` can be started here (CI installs Debian's package). */
export const HAVE_REDIS = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;

/** A free TCP port on localhost (the kernel's pick, released for redis-server to take). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A redis-server of the test's own, on a free port, with an append-only file in a temporary folder so
 * that a stop and a restart (a clean shutdown writes it) keep the queues, as a production Redis does.
 */
export class TestRedis {
  private child: ChildProcess | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), 'tsnas-redis-'));
  private constructor(
    readonly port: number,
    private readonly args: readonly string[],
    private readonly prefix: readonly string[],
  ) {}

  /**
   * `args(port)`: how it listens and anything else (default plain TCP on the port, localhost only);
   * `prefix`: a command it runs under (e.g. `ip netns exec NS`).
   */
  static async start(args: (port: number) => string[] = (port) => ['--port', String(port)], prefix: readonly string[] = []): Promise<TestRedis> {
    const port = await freePort();
    const r = new TestRedis(port, args(port), prefix);
    await r.restart();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again) and resolves once it accepts connections. */
  restart(): Promise<void> {
    const [command, ...rest] = [...this.prefix, 'redis-server', '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--save', '', ...this.args] as [string, ...string[]];
    const child = spawn(command, rest, { stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    return new Promise((resolve, reject) => {
      let out = '';
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (/Ready to accept connections/.test(out)) resolve();
      });
    });
  }

  /** Stops the server (SIGTERM: it writes its append-only file first) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    child.removeAllListeners('exit');
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A `tsnas worker` process of the test's own, with its output kept. */
export class TestWorker {
  readonly child: ChildProcess;
  out = '';
  readonly exited: Promise<number | null>;

  /** `prefix`: a command it runs under (e.g. `ip netns exec NS`). */
  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}, prefix: readonly string[] = []) {
    const [command, ...rest] = [...prefix, process.execPath, BIN, 'worker', ...args] as [string, ...string[]];
    this.child = spawn(command, rest, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const keep = (d: Buffer) => (this.out += d.toString());
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Resolves once its output matches `re` (rejects after `ms`). */
  async waitFor(re: RegExp, ms = 30_000): Promise<void> {
    const until = Date.now() + ms;
    while (!re.test(this.out)) {
      if (Date.now() > until) throw new Error(`worker output never matched ${re}:\n${this.out}`);
      if (this.child.exitCode !== null) throw new Error(`worker exited (${this.child.exitCode}) before its output matched ${re}:\n${this.out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Trial numbers this worker started, in order (a re-run shows twice across workers). */
  started(queue: string): number[] {
    return [...this.out.matchAll(new RegExp(`\\[${queue}\\] trial (\\d+) started`, 'g'))].map((m) => Number(m[1]));
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
