/** A minimal curl (as shipped in the Debian-based nginx image) over the injected fetch, with curl's error texts. */
import type { CommandFn } from './shell.ts';

export const curl: CommandFn = async (argv, io, sh) => {
  let url: string | undefined;
  let silent = false;
  let showErrors = false;
  let includeHeaders = false;
  let headOnly = false;
  let fail = false;
  let method = 'GET';
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-X' || a === '--request') method = argv[++i] ?? 'GET';
    else if (a === '-H' || a === '-m' || a === '--max-time' || a === '-o' || a === '--connect-timeout') i++;
    else if (/^-[a-zA-Z]+$/.test(a)) {
      if (a.includes('s')) silent = true;
      if (a.includes('S')) showErrors = true;
      if (a.includes('i')) includeHeaders = true;
      if (a.includes('I')) headOnly = true;
      if (a.includes('f')) fail = true;
    } else if (a === '--silent') silent = true;
    else if (a === '--head') headOnly = true;
    else if (a === '--fail') fail = true;
    else if (!a.startsWith('-')) url = a;
  }
  if (!url) { io.stderr("curl: try 'curl --help' or 'curl --manual' for more information\n"); return 2; }
  if (!/^[a-z]+:\/\//.test(url)) url = `http://${url}`;
  const parsed = new URL(url);
  const port = parsed.port || '80';
  const say = (m: string) => { if (!silent || showErrors) io.stderr(m + '\n'); };
  const fetch = sh.ctx.services.fetch;
  let res;
  try {
    if (!fetch) throw Object.assign(new Error('no network'), { code: 'ENOTFOUND' });
    res = await fetch(url, { method: headOnly ? 'HEAD' : method, headers: [['Host', parsed.host], ['User-Agent', 'curl/7.88.1'], ['Accept', '*/*']] });
  } catch (e) {
    const err = e as { code?: string; address?: string };
    if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') { say(`curl: (6) Could not resolve host: ${parsed.hostname}`); return 6; }
    if (err.code === 'ETIMEDOUT') { say(`curl: (28) Failed to connect to ${parsed.hostname} port ${port} after 130000 ms: Couldn't connect to server`); return 28; }
    say(`curl: (7) Failed to connect to ${parsed.hostname} port ${port} after 0 ms: Couldn't connect to server`);
    return 7;
  }
  if (fail && res.status >= 400) { say(`curl: (22) The requested URL returned error: ${res.status}`); return 22; }
  if (includeHeaders || headOnly) {
    io.stdout(`HTTP/1.1 ${res.status} ${res.reason}\r\n`);
    for (const [k, v] of res.headers) io.stdout(`${k}: ${v}\r\n`);
    io.stdout('\r\n');
  }
  if (!headOnly) io.stdout(res.body);
  return 0;
};
