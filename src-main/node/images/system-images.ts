/** busybox/alpine (run a command) and the system images kubeadm clusters run: coredns, kube-proxy, pause. */
import { busybox, effectiveArgv, goResponse, makeProgram } from './program.ts';
import { runMainCommand } from './run-command.ts';
import type { ImageProgram } from './types.ts';

export const busyboxImage: ImageProgram = {
  start: ctx => runMainCommand(ctx, effectiveArgv(ctx, [], ['sh']), busybox()),
};

export const alpineImage: ImageProgram = {
  start: ctx => runMainCommand(ctx, effectiveArgv(ctx, [], ['/bin/sh']), busybox()),
};

export const pauseImage: ImageProgram = {
  start: ctx => makeProgram(ctx, { sigtermExit: 0 }),
};

export const COREDNS_VERSION = '1.11.3';

/** CoreDNS: the answering itself is kubelab's DNS module, reached through ctx.services.dns. */
export const corednsImage: ImageProgram = {
  start(ctx) {
    const log = (l: string) => ctx.log('stdout', l);
    log('.:53');
    log('[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908');
    log(`CoreDNS-${COREDNS_VERSION}`);
    log('linux/amd64, go1.21.11, a6338e9');
    const dns = ctx.services.dns;
    const answer = (data: Uint8Array, conn: { clientIP: string; clientPort: number; localPort: number }) => {
      if (!dns) throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
      return dns(data, conn);
    };
    return makeProgram(ctx, {
      listens: [
        { port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }, { port: 9153, protocol: 'TCP' },
        { port: 8080, protocol: 'TCP' }, { port: 8181, protocol: 'TCP' },
      ],
      handleUdp: answer,
      handleTcp: answer,
      handleHttp: req => {
        const now = ctx.clock.now();
        if (req.path === '/health') return goResponse(now, 200, 'OK');
        if (req.path === '/ready') return goResponse(now, 200, 'OK');
        if (req.path === '/metrics') return goResponse(now, 200, '# HELP coredns_build_info A metric with a constant \'1\' value labeled by version, revision, and goversion from which CoreDNS was built.\n# TYPE coredns_build_info gauge\ncoredns_build_info{goversion="go1.21.11",revision="a6338e9",version="1.11.3"} 1\n', 'text/plain; version=0.0.4; charset=utf-8');
        return goResponse(now, 404, '404 page not found\n');
      },
      sigtermExit: 0,
      onSigterm: () => log('[INFO] SIGTERM: Shutting down servers then terminating'),
    });
  },
};

/** klog header: I0101 00:00:00.000000       1 file.go:123] */
function klog(ms: number, where: string, msg: string): string {
  const d = new Date(ms);
  const iso = d.toISOString();
  return `I${iso.slice(5, 7)}${iso.slice(8, 10)} ${iso.slice(11, 23)}000       1 ${where}] ${msg}`;
}

export const kubeProxyImage: ImageProgram = {
  start(ctx) {
    const t = ctx.clock.now();
    const log = (where: string, msg: string) => ctx.log('stderr', klog(t, where, msg));
    log('server_linux.go:66', '"Using iptables proxy"');
    log('server.go:677', `"Successfully retrieved node IP(s)" IPs=["${ctx.podIP}"]`);
    log('server_linux.go:170', '"Using iptables Proxier"');
    log('server.go:497', '"Version info" version="v1.32.2"');
    log('config.go:199', '"Starting service config controller"');
    log('config.go:105', '"Starting endpoint slice config controller"');
    log('config.go:329', '"Starting node config controller"');
    return makeProgram(ctx, {
      listens: [{ port: 10249, protocol: 'TCP' }, { port: 10256, protocol: 'TCP' }],
      handleHttp: req => goResponse(ctx.clock.now(), 200, req.path === '/healthz' ? `{"lastUpdated": "${new Date(ctx.clock.now()).toISOString()}","currentTime": "${new Date(ctx.clock.now()).toISOString()}", "nodeEligible": true}` : 'ok', 'application/json'),
      applets: busybox(),
      sigtermExit: 0,
    });
  },
};
