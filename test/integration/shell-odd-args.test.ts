/**
 * Every command of every shell (node, pod, laptop), with odd arguments, must answer in its tool's own words: never a
 * JavaScript exception text. The commands are those each shell's `help` lists (builtins and registry), plus what a
 * pod's container runs itself; a line still running after its lab-time budget is interrupted (Ctrl-C), as a learner
 * would. Then the same for a stopped node and a deleted pod, from the shells that point at them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1';
import type { RunResult } from '../../src-main/userland/command.ts';
import type { ShellPlace } from '../../src-main/shell/commands/index.ts';
import { createLabControls } from '../../src-main/host/lab-controls.ts';
import { TerminalManager } from '../../src-main/host/terminals/manager.ts';
import { PODS, until } from './network-fixture.ts';
import { openTerminal, startShellLab, type ShellLab } from './shell-fixture.ts';

/** What a learner must never see: JavaScript's words for its own failures. */
const JS_TEXT = /TypeError|ReferenceError|RangeError|SyntaxError: |\bundefined\b|Cannot read propert|is not a function|is not iterable|\[object Object\]|\bNaN\b|^\s{4}at |internal error/m;

/** The arguments a learner gets wrong: none, unknown flags, help, missing files, empty and huge values. */
const ODD_ARGS = ['', ' --bogus-flag', ' -Z', ' --help', ' -h', ' /no/such/file', " ''", ' 99999999999999999999', ' -1', ' -- -x', ' a b c d e f'];
/** Builtins that would end or hang the probing shell itself are still run: each line is a fresh shell. */
const BUILTINS_NOT_PIPED = new Set(['cd', 'exit', 'read', 'return', 'break', 'continue', 'shift', 'set', 'unset', 'export', 'history']);
/** What the busybox container runs itself (kubectl exec's other commands). */
const CONTAINER_COMMANDS = ['ls', 'cat', 'env', 'printenv', 'hostname', 'touch', 'rm', 'test', 'pwd', 'mkdir', 'date', 'whoami', 'id', 'uname', 'echo', 'ps', 'nc', 'netstat', 'vi'];

/** The lab's own command beyond the generic odd arguments (nothing here resets or removes anything). */
const KUBELAB_LINES = ['kubelab node', 'kubelab node stop', 'kubelab node stop nosuch', 'kubelab node stop --force worker1', 'kubelab node add Foo_Bar',
  'kubelab node add a b', 'kubelab pod delete nosuch', 'kubelab pod delete', 'kubelab pod delete x -n', 'kubelab clock 5x', 'kubelab clock',
  'kubelab loadbalancer maybe', 'kubelab status extra', 'kubelab reset --hard', 'kubelab node --help', 'kubelab clock -h', 'kubelab help'];

let s: ShellLab;
/** The lab's terminals with its controls, as `kubelab serve` wires them. */
let terminals: TerminalManager;
let busybox: ShellPlace;
const laptop: ShellPlace = { kind: 'laptop' };

before(async () => {
  s = await startShellLab();
  s.lab.reg.create(PODS, 'default', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bb', namespace: 'default' },
    spec: { containers: [{ name: 'bb', image: 'busybox', command: ['sleep', '3600'] }] },
  } as never);
  await until(s.lab, () => (s.lab.reg.get(PODS, 'default', 'bb') as unknown as Pod).status?.phase === 'Running', 60, 'busybox running');
  busybox = { kind: 'pod', namespace: 'default', name: 'bb' };
  terminals = new TerminalManager({ cluster: s.lab.cluster, kubectl: s.kubectl, controls: createLabControls(s.lab.cluster, s.lab.lb) });
});

after(async () => {
  terminals?.dispose();
  await s?.close();
});

/** Runs `line` at `place`, moving the lab clock while it waits; Ctrl-C after `budgetS` seconds of lab time. */
async function run(place: ShellPlace, line: string, budgetS = 300): Promise<RunResult & { interrupted: boolean }> {
  const ctrlC = new AbortController();
  let done = false;
  const running = terminals.runLine(place, line, ctrlC.signal);
  running.then(() => (done = true), () => (done = true));
  for (let t = 0; !done && t < budgetS + 30; t += 5) {
    await s.lab.cluster.settle();
    for (let j = 0; j < 5 && !done; j++) await new Promise((r) => setImmediate(r));
    if (done) break;
    if (t >= budgetS) ctrlC.abort('SIGINT');
    await s.lab.cluster.advance(5000);
  }
  assert.ok(done, `"${line}" did not end even after Ctrl-C`);
  return { ...(await running), interrupted: ctrlC.signal.aborted };
}

/** The commands `help` lists in the shell at `place`. */
async function commandsAt(place: ShellPlace): Promise<string[]> {
  const help = await run(place, 'help');
  const names = [...help.stdout.matchAll(/^ (\S+) {1,}/gm)].map((m) => m[1]!);
  assert.ok(names.length > 20, `help lists the commands at ${JSON.stringify(place)}:\n${help.stdout}`);
  return names;
}

function lineFor(cmd: string, args: string): string {
  // Output capped: `yes`, `seq 1e20` and friends would not end otherwise (the pipe closes, as on a terminal's ^C).
  return BUILTINS_NOT_PIPED.has(cmd) ? `${cmd}${args}` : `${cmd}${args} 2>&1 | head -n 300`;
}

async function probe(place: ShellPlace, lines: string[]): Promise<string[]> {
  const bad: string[] = [];
  for (const line of lines) {
    let r: RunResult;
    try {
      r = await run(place, line);
    } catch (e) {
      bad.push(`${line}\n  threw: ${(e as Error).message}`);
      continue;
    }
    const text = r.stdout + r.stderr;
    if (JS_TEXT.test(text)) bad.push(`${line}\n  ${text.split('\n').filter((l) => JS_TEXT.test(l)).slice(0, 3).join('\n  ')}`);
  }
  return bad;
}

async function everyCommand(place: ShellPlace, extra: string[] = []): Promise<string[]> {
  const commands = [...new Set([...(await commandsAt(place)), ...extra])];
  const lines = commands.flatMap((cmd) => ODD_ARGS.map((args) => lineFor(cmd, args)));
  return probe(place, [...lines, ...(commands.includes('kubelab') ? KUBELAB_LINES : [])]);
}

test('every command of the node shell, with odd arguments', async () => {
  const bad = await everyCommand(s.master);
  assert.deepEqual(bad, [], `JavaScript text reached the learner:\n${bad.join('\n')}`);
});

test('every command of a pod shell (busybox), with odd arguments', async () => {
  const bad = await everyCommand(busybox, CONTAINER_COMMANDS);
  assert.deepEqual(bad, [], `JavaScript text reached the learner:\n${bad.join('\n')}`);
});

test('the same typed into `kubectl exec -it bb -- sh` inside a node terminal', async () => {
  const t = await openTerminal(s);
  try {
    await t.step('kubectl exec -it bb -- sh\r', /\r\n\/ # $/);
    const commands = [...new Set([...(await commandsAt(busybox)), ...CONTAINER_COMMANDS])].filter((c) => !['exit', 'sh', 'bash', 'vi', 'vim', 'watch', 'yes', 'read'].includes(c));
    const bad: string[] = [];
    for (const cmd of commands) {
      for (const args of [' --bogus-flag', ' /no/such/file', ' 99999999999999999999']) {
        const mark = t.screen.length;
        t.type(`${cmd}${args} </dev/null 2>&1 | head -n 50\r`);
        // What waits on the lab clock (sleep, a ping) gets the learner's Ctrl-C.
        const screen = await t.until(/\r\n\/ # $/, mark, 3000).catch(() => (t.type('\x03'), t.until(/\r\n\/ # $/, mark)));
        if (JS_TEXT.test(screen)) bad.push(`${cmd}${args}: ${screen}`);
      }
    }
    assert.equal(await t.step('exit\r', /root@master:~# $/), 'exit\r\nroot@master:~# ');
    assert.deepEqual(bad, [], `JavaScript text reached the learner:\n${bad.join('\n')}`);
  } finally {
    t.close();
  }
});

test('every command of the laptop shell, with odd arguments', async () => {
  const bad = await everyCommand(laptop);
  assert.deepEqual(bad, [], `JavaScript text reached the learner:\n${bad.join('\n')}`);
});

test('a stopped node and a deleted pod: the shells that point at them answer in the tools\' words', async () => {
  const stopped = s.lab.cluster.node('worker2').plan.ip;
  const podIP = (s.lab.reg.get(PODS, 'default', 'bb') as unknown as Pod).status!.podIP!;
  await s.lab.cluster.stopNode('worker2');
  s.lab.reg.delete(PODS, 'default', 'bb');
  await s.lab.cluster.settle();
  const toStopped = ['curl', 'curl -v', 'wget', 'ping -c 2', 'traceroute', 'traceroute -n', 'ssh', 'ssh root@', 'nslookup x', 'dig @', 'host x'].map((c) => `${c}${c.endsWith('@') ? '' : ' '}${stopped}`);
  const toPod = ['kubectl exec bb -- ls', 'kubectl exec -it bb -- sh', 'kubectl logs bb', 'kubectl describe pod bb', 'kubectl get pod bb -o wide', 'kubelab pod delete bb', `curl -m 5 ${podIP}`];
  const onStopped = ['hostname', 'ip a', 'ip r', 'ss -tlnp', 'iptables -t nat -L -n', 'iptables-save', 'conntrack -L', 'kubectl get nodes', 'cat /etc/hosts', 'ls'];
  const bad = [
    ...(await probe(s.master, [...toStopped, ...toPod, 'ssh worker2', 'ssh worker2 hostname', 'kubelab node stop worker2', 'kubelab node start'])),
    ...(await probe(laptop, [...toStopped, ...toPod])),
    ...(await probe({ kind: 'node', node: 'worker2' }, onStopped)),
    ...(await probe(busybox, ['ls', 'ip a', 'wget -qO- http://clusterip-hostname-service', 'nslookup kubernetes', 'hostname', 'cat /etc/resolv.conf'])),
  ];
  assert.deepEqual(bad, [], `JavaScript text reached the learner:\n${bad.join('\n')}`);
  // And what they say is what the real tools say.
  const ssh = await run(s.master, `ssh ${stopped}`);
  assert.equal(ssh.stderr, `ssh: connect to host ${stopped} port 22: No route to host\n`);
  assert.equal(ssh.status, 255);
  const onNode = await run({ kind: 'node', node: 'worker2' }, 'hostname');
  assert.deepEqual([onNode.status, onNode.stderr], [255, 'Connection to worker2 closed by remote host.\n']);
  const inPod = await run(busybox, 'ls');
  assert.deepEqual([inPod.status, inPod.stderr], [137, 'command terminated with exit code 137\n']);
  await s.lab.cluster.startNode('worker2');
});
