/**
 * `npm run bench:startup`: how long the compiled `skiff` command takes to start, beside Node itself and
 * the machine's kubectl in the same run.
 *
 * - Short commands (`skiff --help`, `skiff version`, `skiff get pods` against a running skiff) are timed
 *   with hyperfine (Debian's `hyperfine`; `--shell=none`, warm-up runs first), in alternating rounds: each
 *   round times every command, and a command's ratio is its median over `node -e 0`'s median in the same
 *   round. Reported: the median ratio over the rounds, with min and max.
 * - `skiff up` is timed from spawn to its `skiff ready:` line, on a fresh data dir (the first start issues
 *   the PKI) and again on the same dir (a restart), with each phase's time from `--log-level debug`.
 *
 * Goals (issue 13): `--help` within 2× of `node -e 0`; `skiff up` ready in < 2 s. Flags: --rounds 3,
 * --runs 10 (hyperfine runs per command per round), --nodes 2 (the local nodes `skiff up` starts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const skiff = join(repoRoot, 'bin/skiff.js');
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, runs: { type: 'string', default: '10' }, nodes: { type: 'string', default: '2' } } });
const rounds = Number(values.rounds);
const runs = Number(values.runs);
const freePorts = ['--api-port', '0', '--ingress-http-port', '0', '--ingress-https-port', '0', '--dashboard-port', '0'];

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};
const ms = (x: number): string => x.toFixed(0);

interface Up { ready: Promise<number>; phases: Map<string, number>; stop(): Promise<void> }

/** Starts compiled `skiff up` on `dataDir`; `ready` resolves with the milliseconds from spawn to `skiff ready:`. */
function startUp(dataDir: string, logLevel = 'debug'): Up {
  const t0 = performance.now();
  const proc = spawn(process.execPath, [skiff, 'up', '--data-dir', dataDir, '--nodes', values.nodes ?? '2', ...freePorts, '--log-level', logLevel],
    { cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBECONFIG: '' } });
  const phases = new Map<string, number>();
  let out = '';
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const ready = new Promise<number>((resolve, reject) => {
    const onData = (c: Buffer): void => {
      out += c.toString();
      for (const m of out.matchAll(/start-up phase done phase=(.+?) ms=(\d+)/g)) phases.set(m[1] ?? '', Number(m[2]));
      if (/skiff ready: /.test(out)) resolve(performance.now() - t0);
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    void exited.then(() => reject(new Error(`skiff up exited before ready:\n${out}`)));
  });
  return { ready, phases, stop: async () => { proc.kill('SIGINT'); await exited; } };
}

interface HyperfineResult { command: string; median: number; min: number; max: number }

/** One hyperfine round over `commands` (name → argv); medians in ms. */
function hyperfine(commands: ReadonlyArray<readonly [string, readonly string[]]>, env: NodeJS.ProcessEnv): Map<string, number> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-startup-'));
  const json = join(dir, 'out.json');
  const quote = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`);
  const args = ['--shell=none', '--warmup', '2', '--runs', String(runs), '--style', 'none', '--export-json', json];
  for (const [name, argv] of commands) args.push('--command-name', name, argv.map(quote).join(' '));
  const r = spawnSync('hyperfine', args, { env, encoding: 'utf8', cwd: repoRoot });
  if (r.status !== 0) throw new Error(`hyperfine failed: ${r.stderr}`);
  const results = (JSON.parse(readFileSync(json, 'utf8')) as { results: HyperfineResult[] }).results;
  rmSync(dir, { recursive: true, force: true });
  return new Map(results.map((x) => [x.command, x.median * 1000]));
}

async function main(): Promise<void> {
  if (spawnSync('hyperfine', ['--version']).error) {
    console.error('bench:startup needs hyperfine (Debian: apt-get install hyperfine)');
    process.exit(1);
  }
  // A skiff for `get pods` to talk to (compiled, like the commands under test).
  const serverDir = mkdtempSync(join(tmpdir(), 'skiff-bench-startup-server-'));
  const server = startUp(serverDir, 'warn');
  await server.ready;
  const kubeconfig = join(serverDir, 'kubeconfig');
  const commands: ReadonlyArray<readonly [string, readonly string[]]> = [
    ['node -e 0', [process.execPath, '-e', '0']],
    ['kubectl version --client', ['kubectl', 'version', '--client']],
    ['skiff --help', [process.execPath, skiff, '--help']],
    ['skiff version', [process.execPath, skiff, 'version']],
    ['kubectl get pods', ['kubectl', '--cache-dir', join(serverDir, 'kube-cache'), 'get', 'pods']],
    ['skiff get pods', [process.execPath, skiff, 'get', 'pods']],
  ];
  const perRound: Array<Map<string, number>> = [];
  try {
    for (let i = 0; i < rounds; i++) {
      perRound.push(hyperfine(commands, { ...process.env, KUBECONFIG: kubeconfig, HOME: serverDir }));
      process.stderr.write(`round ${i + 1}/${rounds} done\n`);
    }
  } finally {
    await server.stop();
    rmSync(serverDir, { recursive: true, force: true });
  }

  console.log(`\nShort commands: hyperfine --shell=none, ${runs} runs per command per round, ${rounds} alternating rounds; ratio = median / node -e 0's median in the same round.\n`);
  console.log('| command | median ms (per round) | ratio to node -e 0: median (min–max) |');
  console.log('|---|---|---|');
  for (const [name] of commands) {
    const times = perRound.map((r) => r.get(name) ?? NaN);
    const ratios = perRound.map((r) => (r.get(name) ?? NaN) / (r.get('node -e 0') ?? NaN));
    console.log(`| ${name} | ${times.map(ms).join(' / ')} | ${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) |`);
  }

  // skiff up to ready: a first start (fresh data dir, PKI issued) and a restart on the same dir, per round.
  const ups: Array<{ kind: string; ms: number; phases: Map<string, number> }> = [];
  for (let i = 0; i < rounds; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-startup-up-'));
    for (const kind of ['first start', 'restart']) {
      const up = startUp(dir);
      const t = await up.ready;
      ups.push({ kind, ms: t, phases: up.phases });
      await up.stop();
    }
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nskiff up --nodes ${values.nodes ?? '2'} (all ports free), spawn → "skiff ready:"; goal < 2000 ms. Phases from --log-level debug (median ms).\n`);
  const phaseNames = [...(ups[0]?.phases.keys() ?? [])];
  console.log(`| start | ready ms (per round) | median | ${phaseNames.join(' | ')} |`);
  console.log(`|---|---|---|${phaseNames.map(() => '---|').join('')}`);
  for (const kind of ['first start', 'restart']) {
    const these = ups.filter((u) => u.kind === kind);
    const cells = phaseNames.map((p) => ms(median(these.map((u) => u.phases.get(p) ?? NaN))));
    console.log(`| ${kind} | ${these.map((u) => ms(u.ms)).join(' / ')} | ${ms(median(these.map((u) => u.ms)))} | ${cells.join(' | ')} |`);
  }
}

await main();
