/** busybox applets with busybox's messages: the commands `kubectl exec` users type in lab pods. */
import type { CommandFn, CommandIO, Shell } from './shell.ts';
import { sharedTextApplets } from './shared-tools.ts';

const ROOT_DIRS = ['bin', 'dev', 'etc', 'home', 'lib', 'proc', 'root', 'sys', 'tmp', 'usr', 'var'];

function parseDuration(arg: string): number | undefined {
  if (arg === 'infinity') return Infinity;
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(arg);
  if (!m) return undefined;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit * 1000;
}

const sleep: CommandFn = async (argv, io, sh) => {
  if (argv.length < 2) { io.stderr('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: sleep [N]...\n'); return 1; }
  let total = 0;
  for (const a of argv.slice(1)) {
    const ms = parseDuration(a);
    if (ms === undefined) { io.stderr(`sleep: invalid number '${a}'\n`); return 1; }
    total += ms;
  }
  if (total === Infinity) await new Promise<void>(() => {});
  await sh.sleep(total);
  return 0;
};

const echo: CommandFn = async (argv, io) => {
  let args = argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args.length && /^-[neE]+$/.test(args[0])) {
    if (args[0].includes('n')) newline = false;
    if (args[0].includes('e')) escapes = true;
    args = args.slice(1);
  }
  let text = args.join(' ');
  if (escapes) text = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  io.stdout(text + (newline ? '\n' : ''));
  return 0;
};

function isDir(sh: Shell, path: string): boolean {
  const p = path.replace(/\/+$/, '') || '/';
  if (p === '/') return true;
  if (p.split('/').length === 2 && ROOT_DIRS.includes(p.slice(1))) return true;
  for (const f of sh.ctx.files.keys()) if (f.startsWith(p + '/')) return true;
  return false;
}

const cat: CommandFn = async (argv, io, sh) => {
  const files = argv.slice(1).filter(a => a !== '--');
  if (!files.length) { io.stdout(io.stdin); return 0; }
  let status = 0;
  for (const f of files) {
    if (f === '-') { io.stdout(io.stdin); continue; }
    const content = sh.ctx.files.get(f);
    if (content !== undefined) io.stdout(content);
    else if (isDir(sh, f)) { io.stderr(`cat: read error: Is a directory\n`); status = 1; }
    else { io.stderr(`cat: can't open '${f}': No such file or directory\n`); status = 1; }
  }
  return status;
};

const ls: CommandFn = async (argv, io, sh) => {
  const targets = argv.slice(1).filter(a => !a.startsWith('-'));
  if (!targets.length) targets.push('/');
  let status = 0;
  for (const t of targets) {
    if (sh.ctx.files.has(t)) { io.stdout(t + '\n'); continue; }
    if (!isDir(sh, t)) { io.stderr(`ls: ${t}: No such file or directory\n`); status = 1; continue; }
    const dir = t.replace(/\/+$/, '');
    const names = new Set<string>(dir === '' ? ROOT_DIRS : []);
    for (const f of sh.ctx.files.keys()) {
      if (f.startsWith(dir + '/')) names.add(f.slice(dir.length + 1).split('/')[0]);
    }
    if (targets.length > 1) io.stdout(`${t}:\n`);
    for (const n of [...names].sort()) io.stdout(n + '\n');
  }
  return status;
};

const env: CommandFn = async (argv, io, sh) => {
  if (argv.length > 1 && argv[0] !== 'printenv') return sh.runArgv(argv.slice(1), io);
  if (argv[0] === 'printenv' && argv.length > 1) {
    const v = sh.vars.get(argv[1]);
    if (v === undefined) return 1;
    io.stdout(v + '\n');
    return 0;
  }
  for (const [k, v] of sh.vars) io.stdout(`${k}=${v}\n`);
  return 0;
};

const hostname: CommandFn = async (argv, io, sh) => {
  if (argv[1] === '-i') io.stdout(sh.ctx.podIP + '\n');
  else io.stdout(sh.ctx.hostname + '\n');
  return 0;
};

const touch: CommandFn = async (argv, _io, sh) => {
  for (const f of argv.slice(1).filter(a => !a.startsWith('-'))) if (!sh.ctx.files.has(f)) sh.ctx.files.set(f, '');
  return 0;
};

const rm: CommandFn = async (argv, io, sh) => {
  const force = argv.some(a => /^-\w*f/.test(a));
  let status = 0;
  for (const f of argv.slice(1).filter(a => !a.startsWith('-'))) {
    if (!sh.ctx.files.delete(f) && !force) { io.stderr(`rm: can't remove '${f}': No such file or directory\n`); status = 1; }
  }
  return status;
};

function busyboxDate(ms: number): string {
  const d = new Date(ms);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const time = d.toISOString().slice(11, 19);
  return `${day} ${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${time} UTC ${d.getUTCFullYear()}`;
}

const test: CommandFn = async (argv, _io, sh) => {
  const args = argv[0] === '[' ? argv.slice(1, -1) : argv.slice(1);
  if (args.length === 2 && args[0] === '-f') return sh.ctx.files.has(args[1]) ? 0 : 1;
  if (args.length === 2 && args[0] === '-e') return sh.ctx.files.has(args[1]) || isDir(sh, args[1]) ? 0 : 1;
  if (args.length === 2 && args[0] === '-d') return isDir(sh, args[1]) ? 0 : 1;
  if (args.length === 2 && args[0] === '-z') return args[1] === '' ? 0 : 1;
  if (args.length === 2 && args[0] === '-n') return args[1] !== '' ? 0 : 1;
  if (args.length === 3) {
    const [a, op, b] = args;
    const n = (s: string) => Number(s);
    const r = { '=': a === b, '==': a === b, '!=': a !== b, '-eq': n(a) === n(b), '-ne': n(a) !== n(b), '-lt': n(a) < n(b), '-le': n(a) <= n(b), '-gt': n(a) > n(b), '-ge': n(a) >= n(b) }[op];
    return r ? 0 : 1;
  }
  return args.length === 1 && args[0] !== '' ? 0 : 1;
};

const sh: CommandFn = async (argv, io, shell) => {
  const c = argv.indexOf('-c');
  if (c >= 0 && argv[c + 1] !== undefined) return shell.runScript(argv[c + 1], io);
  if (argv.length === 1 && io.stdin) return shell.runScript(io.stdin, { ...io, stdin: '' });
  if (argv.length === 1) return 0;
  const script = shell.ctx.files.get(argv[1]);
  if (script === undefined) { io.stderr(`sh: can't open '${argv[1]}': No such file or directory\n`); return 2; }
  return shell.runScript(script, io);
};

async function wget(argv: string[], io: CommandIO, shell: Shell): Promise<number> {
  let quiet = false;
  let output: string | undefined;
  let spider = false;
  let url: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--spider') spider = true;
    else if (a === '-O') output = argv[++i];
    else if (a === '-T' || a === '-U' || a === '--header') i++;
    else if (/^-[qOS]+-?$/.test(a) || /^-[qO]+.+$/.test(a)) {
      if (a.includes('q')) quiet = true;
      const o = a.indexOf('O');
      if (o >= 0) output = a.slice(o + 1) || argv[++i];
    } else if (!a.startsWith('-')) url = a;
  }
  if (!url) { io.stderr('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n'); return 1; }
  if (!/^https?:\/\//.test(url)) url = `http://${url}`;
  const parsed = new URL(url);
  const host = parsed.hostname;
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  const fetch = shell.ctx.services.fetch;
  const found = shell.ctx.services.lookup ? await shell.ctx.services.lookup(host) : { ok: true as const, ip: host };
  if (!fetch || !found.ok) { io.stderr(`wget: bad address '${host}'\n`); return 1; }
  let res;
  try {
    res = await fetch(url, { headers: [['Host', parsed.host], ['User-Agent', 'Wget'], ['Connection', 'close']] });
  } catch (e) {
    const err = e as { code?: string; address?: string; message?: string };
    if (!quiet) io.stderr(`Connecting to ${parsed.host} (${err.address ?? found.ip}:${port})\n`);
    if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') io.stderr(`wget: bad address '${host}'\n`);
    else if (err.code === 'ECONNREFUSED') io.stderr(`wget: can't connect to remote host (${err.address ?? host}): Connection refused\n`);
    else if (err.code === 'ETIMEDOUT') io.stderr('wget: download timed out\n');
    else io.stderr(`wget: ${err.message ?? 'error'}\n`);
    return 1;
  }
  if (!quiet) io.stderr(`Connecting to ${parsed.host} (${found.ip}:${port})\n`);
  if (res.status >= 400) {
    io.stderr(`wget: server returned error: HTTP/1.1 ${res.status} ${res.reason}\n`);
    return 1;
  }
  if (spider) { if (!quiet) io.stderr('remote file exists\n'); return 0; }
  const fileName = output ?? (parsed.pathname.split('/').pop() || 'index.html');
  const toStdout = fileName === '-';
  if (!quiet) io.stderr(toStdout ? 'writing to stdout\n' : `saving to '${fileName}'\n`);
  if (toStdout) io.stdout(res.body);
  else shell.ctx.files.set(fileName.startsWith('/') ? fileName : `/${fileName}`, res.body);
  if (!quiet) {
    const name = toStdout ? '-' : fileName;
    io.stderr(`${name.padEnd(20)} 100% |${'*'.repeat(31)}|  ${String(res.body.length).padStart(4)}  0:00:00 ETA\n`);
    io.stderr(toStdout ? 'written to stdout\n' : `'${fileName}' saved\n`);
  }
  return 0;
}

export const busyboxApplets: Record<string, CommandFn> = {
  ...sharedTextApplets,
  sh, ash: sh, sleep, echo, cat, ls, env, printenv: env, hostname, touch, rm, wget, test, '[': test,
  true: async () => 0,
  false: async () => 1,
  pwd: async (_a, io) => { io.stdout('/\n'); return 0; },
  cd: async () => 0,
  mkdir: async () => 0,
  date: async (_a, io, s) => { io.stdout(busyboxDate(s.ctx.clock.now()) + '\n'); return 0; },
  whoami: async (_a, io) => { io.stdout('root\n'); return 0; },
  id: async (_a, io) => { io.stdout('uid=0(root) gid=0(root) groups=0(root),10(wheel)\n'); return 0; },
  uname: async (a, io, s) => { io.stdout(a.includes('-a') ? `Linux ${s.ctx.hostname} 6.8.0-49-generic #49-Ubuntu SMP x86_64 GNU/Linux\n` : 'Linux\n'); return 0; },
};
