/** The fixed part of what kube-proxy and the kubelet program, independent of services (proxier.go iptablesJumpChains). */
import { appendRule, comment, ensureChain, jump, MASQ_MARK, type IptTable, type Match } from './model.ts';

const NEW: Match = { kind: 'conntrack', ctstate: ['NEW'] };

export function addBaseNatRules(nat: IptTable): void {
  for (const c of ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ', 'KUBE-PROXY-CANARY', 'KUBE-KUBELET-CANARY']) ensureChain(nat, c);
  appendRule(nat, 'PREROUTING', { matches: [comment('kubernetes service portals')], target: jump('KUBE-SERVICES') });
  appendRule(nat, 'OUTPUT', { matches: [comment('kubernetes service portals')], target: jump('KUBE-SERVICES') });
  appendRule(nat, 'POSTROUTING', { matches: [comment('kubernetes postrouting rules')], target: jump('KUBE-POSTROUTING') });
  appendRule(nat, 'KUBE-POSTROUTING', { matches: [{ kind: 'mark', mark: MASQ_MARK, mask: MASQ_MARK, negate: true }], target: { kind: 'RETURN' } });
  // --xor-mark 0x4000 is stored (and saved) as --set-xmark 0x4000/0x0.
  appendRule(nat, 'KUBE-POSTROUTING', { target: { kind: 'MARK', value: MASQ_MARK, mask: 0 } });
  appendRule(nat, 'KUBE-POSTROUTING', {
    matches: [comment('kubernetes service traffic requiring SNAT')],
    target: { kind: 'MASQUERADE', randomFully: true },
  });
  // --or-mark 0x4000 is stored as --set-xmark 0x4000/0x4000.
  appendRule(nat, 'KUBE-MARK-MASQ', { target: { kind: 'MARK', value: MASQ_MARK, mask: MASQ_MARK } });
}

/** Must run after all service rules: KUBE-NODEPORTS is the last rule of KUBE-SERVICES. */
export function addNodePortsTailRule(nat: IptTable): void {
  appendRule(nat, 'KUBE-SERVICES', {
    matches: [comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain'), { kind: 'addrtype', dstType: 'LOCAL' }],
    target: jump('KUBE-NODEPORTS'),
  });
}

export function addBaseFilterRules(filter: IptTable): void {
  for (const c of [
    'KUBE-SERVICES',
    'KUBE-EXTERNAL-SERVICES',
    'KUBE-FORWARD',
    'KUBE-NODEPORTS',
    'KUBE-PROXY-FIREWALL',
    'KUBE-FIREWALL',
    'KUBE-PROXY-CANARY',
    'KUBE-KUBELET-CANARY',
  ])
    ensureChain(filter, c);
  const j = (chain: string, from: string, text: string, ctNew: boolean) =>
    appendRule(filter, from, { matches: ctNew ? [NEW, comment(text)] : [comment(text)], target: jump(chain) });
  // Order as seen in dumps: kube-proxy prepends its jumps in front of the kubelet's KUBE-FIREWALL jump.
  j('KUBE-PROXY-FIREWALL', 'INPUT', 'kubernetes load balancer firewall', true);
  j('KUBE-NODEPORTS', 'INPUT', 'kubernetes health check service ports', false);
  j('KUBE-EXTERNAL-SERVICES', 'INPUT', 'kubernetes externally-visible service portals', true);
  appendRule(filter, 'INPUT', { target: jump('KUBE-FIREWALL') });
  j('KUBE-PROXY-FIREWALL', 'FORWARD', 'kubernetes load balancer firewall', true);
  j('KUBE-FORWARD', 'FORWARD', 'kubernetes forwarding rules', false);
  j('KUBE-SERVICES', 'FORWARD', 'kubernetes service portals', true);
  j('KUBE-EXTERNAL-SERVICES', 'FORWARD', 'kubernetes externally-visible service portals', true);
  j('KUBE-PROXY-FIREWALL', 'OUTPUT', 'kubernetes load balancer firewall', true);
  j('KUBE-SERVICES', 'OUTPUT', 'kubernetes service portals', true);
  appendRule(filter, 'OUTPUT', { target: jump('KUBE-FIREWALL') });

  appendRule(filter, 'KUBE-FIREWALL', {
    src: { cidr: '127.0.0.0/8', negate: true },
    dst: '127.0.0.0/8',
    matches: [comment('block incoming localnet connections'), { kind: 'conntrack', ctstate: ['RELATED', 'ESTABLISHED', 'DNAT'], negate: true }],
    target: { kind: 'DROP' },
  });
}

/** KUBE-FORWARD is written after the per-service rules. */
export function addForwardRules(filter: IptTable): void {
  appendRule(filter, 'KUBE-FORWARD', { matches: [{ kind: 'conntrack', ctstate: ['INVALID'] }], target: { kind: 'DROP' } });
  appendRule(filter, 'KUBE-FORWARD', {
    matches: [comment('kubernetes forwarding rules'), { kind: 'mark', mark: MASQ_MARK, mask: MASQ_MARK }],
    target: { kind: 'ACCEPT' },
  });
  appendRule(filter, 'KUBE-FORWARD', {
    matches: [comment('kubernetes forwarding conntrack rule'), { kind: 'conntrack', ctstate: ['RELATED', 'ESTABLISHED'] }],
    target: { kind: 'ACCEPT' },
  });
}
