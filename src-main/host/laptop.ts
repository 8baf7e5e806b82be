/** The learner's computer, outside the cluster, on the node network. */
export const LAPTOP_IP = '192.168.56.1';
