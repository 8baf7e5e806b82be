/** What a command that ran somewhere (a pod's exec, a node's iptables or conntrack view, nslookup) hands back. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}
