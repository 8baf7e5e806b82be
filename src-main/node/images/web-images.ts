/** Static web servers: nginx, httpd and takytaky/hostname (the seed's hostname page). */
import { busybox, byteLength, clfTime, header, httpDate, makeProgram, nginxTime, response, splitPath } from './program.ts';
import { curl } from './container-sh/curl.ts';
import type { ContainerContext, HttpRequest, HttpResponse, ImageProgram } from './types.ts';

export const NGINX_VERSION = '1.27.5';
const NGINX_HTML = '/usr/share/nginx/html';
/** Modification time of the packaged index.html; ETag is hex(mtime)-hex(size) like nginx computes it. */
const NGINX_INDEX_MTIME = Date.UTC(2025, 3, 16, 12, 1, 11);

export const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

const NGINX_50X = `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
`;

export function nginxErrorPage(status: number, reason: string): string {
  return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx/${NGINX_VERSION}</center>\r\n</body>\r\n</html>\r\n`;
}

function nginxStartupLog(ctx: ContainerContext): void {
  const out = (l: string) => ctx.log('stdout', l);
  out('/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration');
  out('/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/');
  out('/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh');
  out('10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf');
  out('10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf');
  out('/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh');
  out('/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh');
  out('/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh');
  out('/docker-entrypoint.sh: Configuration complete; ready for start up');
  const t = nginxTime(ctx.clock.now());
  const notice = (m: string) => ctx.log('stderr', `${t} [notice] 1#1: ${m}`);
  notice('using the "epoll" event method');
  notice(`nginx/${NGINX_VERSION}`);
  notice('built by gcc 12.2.0 (Debian 12.2.0-14) ');
  notice('OS: Linux 6.8.0-49-generic');
  notice('getrlimit(RLIMIT_NOFILE): 1048576:1048576');
  notice('start worker processes');
  for (let w = 0; w < 4; w++) notice(`start worker process ${29 + w}`);
}

export const nginxImage: ImageProgram = {
  start(ctx) {
    ctx.files.set(`${NGINX_HTML}/index.html`, NGINX_WELCOME);
    ctx.files.set(`${NGINX_HTML}/50x.html`, NGINX_50X);
    ctx.files.set('/etc/nginx/conf.d/default.conf', 'server {\n    listen       80;\n    listen  [::]:80;\n    server_name  localhost;\n\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n\n    error_page   500 502 503 504  /50x.html;\n    location = /50x.html {\n        root   /usr/share/nginx/html;\n    }\n}\n');
    nginxStartupLog(ctx);
    let requests = 0;
    const handleHttp = (req: HttpRequest, conn: { clientIP: string }): HttpResponse => {
      const now = ctx.clock.now();
      requests++;
      const { pathname } = splitPath(req.path);
      const file = pathname.endsWith('/') ? `${NGINX_HTML}${pathname}index.html` : `${NGINX_HTML}${pathname}`;
      const content = ctx.files.get(file);
      const base: Array<[string, string]> = [['Server', `nginx/${NGINX_VERSION}`], ['Date', httpDate(now)]];
      let res: HttpResponse;
      if (content === undefined) {
        const body = nginxErrorPage(404, 'Not Found');
        res = response(404, [...base, ['Content-Type', 'text/html'], ['Content-Length', String(byteLength(body))], ['Connection', 'keep-alive']], body);
        ctx.log('stderr', `${nginxTime(now)} [error] 29#29: *${requests} open() "${file}" failed (2: No such file or directory), client: ${conn.clientIP}, server: localhost, request: "${req.method} ${req.path} ${req.httpVersion}", host: "${header(req, 'host') ?? ''}"`);
      } else if (req.method !== 'GET' && req.method !== 'HEAD') {
        const body = nginxErrorPage(405, 'Not Allowed');
        res = response(405, [...base, ['Content-Type', 'text/html'], ['Content-Length', String(byteLength(body))], ['Connection', 'keep-alive']], body, 'Not Allowed');
      } else {
        const size = byteLength(content);
        const mtime = file.endsWith('/index.html') && content === NGINX_WELCOME ? NGINX_INDEX_MTIME : now;
        res = response(200, [
          ...base, ['Content-Type', 'text/html'], ['Content-Length', String(size)], ['Last-Modified', httpDate(mtime)],
          ['Connection', 'keep-alive'], ['ETag', `"${Math.floor(mtime / 1000).toString(16)}-${size.toString(16)}"`], ['Accept-Ranges', 'bytes'],
        ], req.method === 'HEAD' ? '' : content);
      }
      const sent = req.method === 'HEAD' ? 0 : byteLength(res.body);
      const q = (v: string | undefined) => `"${v ?? '-'}"`;
      ctx.log('stdout', `${conn.clientIP} - - [${clfTime(now)}] "${req.method} ${req.path} ${req.httpVersion}" ${res.status} ${sent} ${q(header(req, 'referer'))} ${q(header(req, 'user-agent'))} ${q(header(req, 'x-forwarded-for'))}`);
      return res;
    };
    return makeProgram(ctx, {
      listens: [{ port: 80, protocol: 'TCP' }],
      handleHttp,
      applets: busybox({ curl, nginx: async (argv, io) => { if (argv.includes('-v')) { io.stderr(`nginx version: nginx/${NGINX_VERSION}\n`); return 0; } return 1; } }),
      sigtermExit: 0,
      onSigterm: () => {
        const t = nginxTime(ctx.clock.now());
        ctx.log('stderr', `${t} [notice] 1#1: signal 15 (SIGTERM) received, exiting`);
        for (let w = 0; w < 4; w++) ctx.log('stderr', `${t} [notice] ${29 + w}#${29 + w}: exiting`);
        for (let w = 0; w < 4; w++) ctx.log('stderr', `${t} [notice] ${29 + w}#${29 + w}: exit`);
        ctx.log('stderr', `${t} [notice] 1#1: exit`);
      },
    });
  },
};

export const HTTPD_VERSION = '2.4.62';
export const HTTPD_INDEX = '<html><body><h1>It works!</h1></body></html>\n';

function apacheTime(ms: number): string {
  const d = new Date(ms);
  const s = d.toUTCString(); // Thu, 01 Jan 2026 00:00:00 GMT
  return `${s.slice(0, 3)} ${s.slice(8, 11)} ${s.slice(5, 7)} ${d.toISOString().slice(11, 19)}.${String(d.getUTCMilliseconds() * 1000).padStart(6, '0')} ${d.getUTCFullYear()}`;
}

export const httpdImage: ImageProgram = {
  start(ctx) {
    const fqdn = `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${ctx.podIP}. Set the 'ServerName' directive globally to suppress this message`;
    ctx.log('stderr', fqdn);
    ctx.log('stderr', fqdn);
    ctx.log('stderr', `[${apacheTime(ctx.clock.now())}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/${HTTPD_VERSION} (Unix) configured -- resuming normal operations`);
    ctx.log('stderr', `[${apacheTime(ctx.clock.now())}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'`);
    ctx.files.set('/usr/local/apache2/htdocs/index.html', HTTPD_INDEX);
    const handleHttp = (req: HttpRequest, conn: { clientIP: string }): HttpResponse => {
      const now = ctx.clock.now();
      const { pathname } = splitPath(req.path);
      const file = `/usr/local/apache2/htdocs${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`;
      const content = ctx.files.get(file);
      let res: HttpResponse;
      if (content === undefined) {
        const body = '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n';
        res = response(404, [['Date', httpDate(now)], ['Server', `Apache/${HTTPD_VERSION} (Unix)`], ['Content-Length', String(byteLength(body))], ['Content-Type', 'text/html; charset=iso-8859-1']], body);
      } else {
        const size = byteLength(content);
        res = response(200, [
          ['Date', httpDate(now)], ['Server', `Apache/${HTTPD_VERSION} (Unix)`], ['Last-Modified', 'Mon, 11 Jun 2007 18:53:14 GMT'],
          ['ETag', `"${size.toString(16)}-432a5e4a73a80"`], ['Accept-Ranges', 'bytes'], ['Content-Length', String(size)], ['Content-Type', 'text/html'],
        ], req.method === 'HEAD' ? '' : content);
      }
      ctx.log('stdout', `${conn.clientIP} - - [${clfTime(now)}] "${req.method} ${req.path} ${req.httpVersion}" ${res.status} ${req.method === 'HEAD' ? '-' : byteLength(res.body)}`);
      return res;
    };
    return makeProgram(ctx, {
      listens: [{ port: 80, protocol: 'TCP' }],
      handleHttp,
      applets: busybox(),
      sigtermExit: 0,
      // The image's STOPSIGNAL is SIGWINCH, which containerd sends instead of SIGTERM.
      onSigterm: () => ctx.log('stderr', `[${apacheTime(ctx.clock.now())}] [mpm_event:notice] [pid 1:tid 1] AH00492: caught SIGWINCH, shutting down gracefully`),
    });
  },
};

/** The page served by takytaky/hostname: Apache + PHP printing gethostname() inside a blockquote. */
export function hostnamePage(hostname: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Hostname</title>
    <link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/3.3.7/css/bootstrap.min.css">
</head>
<body>
    <div class="container">
        <div class="jumbotron">
        <h1>Kubernetes Hostname</h1>
        <blockquote>
        <p>Hello,  ${hostname}</p> </blockquote>
        </div>
    </div>
</body>
</html>
`;
}

export const hostnameImage: ImageProgram = {
  start(ctx) {
    const fqdn = `AH00558: apache2: Could not reliably determine the server's fully qualified domain name, using ${ctx.podIP}. Set the 'ServerName' directive globally to suppress this message`;
    ctx.log('stderr', fqdn);
    ctx.log('stderr', fqdn);
    ctx.log('stderr', `[${apacheTime(ctx.clock.now())}] [mpm_prefork:notice] [pid 1] AH00163: Apache/2.4.25 (Debian) PHP/7.1.11 configured -- resuming normal operations`);
    ctx.log('stderr', `[${apacheTime(ctx.clock.now())}] [core:notice] [pid 1] AH00094: Command line: 'apache2 -D FOREGROUND'`);
    const handleHttp = (req: HttpRequest, conn: { clientIP: string }): HttpResponse => {
      const now = ctx.clock.now();
      const { pathname } = splitPath(req.path);
      const ok = pathname === '/' || pathname === '/index.php';
      const body = ok ? hostnamePage(ctx.hostname) : `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL ${pathname} was not found on this server.</p>\n<hr>\n<address>Apache/2.4.25 (Debian) Server at ${header(req, 'host')?.split(':')[0] ?? ctx.podIP} Port 80</address>\n</body></html>\n`;
      const res = response(ok ? 200 : 404, [
        ['Date', httpDate(now)], ['Server', 'Apache/2.4.25 (Debian)'], ...(ok ? [['X-Powered-By', 'PHP/7.1.11'] as [string, string]] : []),
        ['Content-Length', String(byteLength(body))], ['Content-Type', ok ? 'text/html; charset=UTF-8' : 'text/html; charset=iso-8859-1'],
      ], req.method === 'HEAD' ? '' : body);
      const ua = header(req, 'user-agent') ?? '-';
      ctx.log('stdout', `${conn.clientIP} - - [${clfTime(now)}] "${req.method} ${req.path} ${req.httpVersion}" ${res.status} ${byteLength(res.body)} "-" "${ua}"`);
      return res;
    };
    return makeProgram(ctx, {
      listens: [{ port: 80, protocol: 'TCP' }],
      handleHttp,
      applets: busybox({ curl }),
      sigtermExit: 0,
      onSigterm: () => ctx.log('stderr', `[${apacheTime(ctx.clock.now())}] [mpm_prefork:notice] [pid 1] AH00169: caught SIGTERM, shutting down`),
    });
  },
};
