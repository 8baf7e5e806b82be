/**
 * What `kubectl exec` finds inside each image besides its main program: the programs on its PATH and the facts the
 * shell there shows (working directory, the image's ENV, which nslookup). Lists follow the images' own builds:
 * busybox 1.36.1's applets; Debian's required packages (coreutils, grep, sed, mawk, findutils, hostname, libc-bin,
 * bash, dash...) plus what each Dockerfile installs (nginx: curl and gettext-base; php:7.1-apache: curl, xz and the
 * phpize build tools); agnhost: alpine's busybox and musl-utils plus `apk add bind-tools curl iproute2 iperf bash`.
 */

const words = (s: string) => s.trim().split(/\s+/);

export const BUSYBOX_APPLETS = words(`
  [ [[ acpid addgroup adduser adjtimex arch arp arping ash awk base32 base64 basename bc blkdiscard blkid blockdev
  brctl bunzip2 bzcat bzip2 cal cat chgrp chmod chown chpasswd chroot chrt chvt cksum clear cmp comm cp cpio crc32
  crond crontab cut date dc dd deallocvt delgroup deluser devmem df diff dirname dmesg dnsd dnsdomainname dos2unix
  du dumpkmap echo ed egrep eject env ether-wake expand expr factor fallocate false fbset fdflush fdformat fdisk
  fgrep find findfs flock fold free freeramdisk fsck fsfreeze fstrim fsync ftpd ftpget ftpput fuser getopt getty
  grep groups gunzip gzip halt hd hdparm head hexdump hexedit hostid hostname httpd hush hwclock id ifconfig ifdown
  ifup inetd init insmod install ionice iostat ip ipaddr ipcalc ipcrm ipcs iplink ipneigh iproute iprule iptunnel
  kill killall killall5 klogd last less link linux32 linux64 ln loadfont loadkmap logger login logname logread
  losetup ls lsattr lsmod lsof lspci lsscsi lsusb lzcat lzma lzop makedevs md5sum mdev mesg microcom mkdir mkdosfs
  mke2fs mkfifo mknod mkpasswd mkswap mktemp modinfo modprobe more mount mountpoint mpstat mt mv nameif nc netstat
  nice nl nmeter nohup nologin nproc nsenter nslookup ntpd od openvt partprobe passwd paste patch pgrep pidof ping
  ping6 pipe_progress pivot_root pkill pmap poweroff printenv printf ps pscan pstree pwd pwdx rdate readlink realpath
  reboot renice reset resize rev rm rmdir rmmod route run-parts runlevel script sed seq setarch setconsole setfont
  setkeycodes setpriv setserial setsid sh sha1sum sha256sum sha3sum sha512sum showkey shred shuf sleep sort split
  ssl_client start-stop-daemon stat strings stty su sulogin sum swapoff swapon switch_root sync sysctl syslogd tac
  tail tar taskset tc tee telnet telnetd test tftp tftpd time timeout top touch tr traceroute traceroute6 tree true
  truncate ts tty ttysize tunctl udhcpc udhcpd uevent umount uname unexpand uniq unix2dos unlink unlzma unshare unxz
  unzip uptime usleep uudecode uuencode vconfig vi vlock w wall watch watchdog wc wget which who whoami whois xargs
  xxd xz xzcat yes zcat`);

const COREUTILS = words(`
  [ arch b2sum base32 base64 basename basenc cat chcon chgrp chmod chown chroot cksum comm cp csplit cut date dd df dir
  dircolors dirname du echo env expand expr factor false fmt fold groups head hostid id install join link ln logname
  ls md5sum mkdir mkfifo mknod mktemp mv nice nl nohup nproc numfmt od paste pathchk pinky pr printenv printf ptx pwd
  readlink realpath rm rmdir runcon seq sha1sum sha224sum sha256sum sha384sum sha512sum shred shuf sleep sort split
  stat stdbuf stty sum sync tac tail tee test timeout touch tr true truncate tsort tty uname unexpand uniq unlink
  users vdir wc who whoami yes`);

/** Debian's Priority: required packages, as a bookworm-slim or stretch image has them. */
const DEBIAN_BASE = [...COREUTILS, ...words(`
  sh dash bash rbash grep egrep fgrep sed awk mawk find xargs hostname dnsdomainname domainname getent ldd iconv
  locale ldconfig gzip gunzip zcat tar cmp diff diff3 sdiff which run-parts tempfile savelog perl login su nologin
  passwd chsh chfn useradd userdel usermod groupadd mount umount losetup swapon swapoff dmesg findmnt lsblk flock
  getopt ionice ipcs lscpu mcookie namei nsenter prlimit rev setsid taskset unshare whereis more logger renice
  script wall pidof killall5 clear tput reset tset infocmp dpkg dpkg-query apt apt-get apt-cache gpgv`)];

export type Userland = 'busybox' | 'debian' | 'alpine';

export interface UserlandFacts {
  executables: string[];
  /** The working directory an exec starts in (the image's WORKDIR). */
  workdir: string;
  /** ENV lines of the image, before the kubelet's variables. */
  env: Record<string, string>;
  /** nslookup/dig/host are BIND's (alpine's bind-tools) rather than busybox's applet. */
  bindTools?: boolean;
  /** ENTRYPOINT + CMD: what `ps` shows as PID 1 when the pod spec sets no command. */
  defaultCommand: string[];
  /** Where `which` finds the programs (busybox installs its applets in /bin). */
  bin: '/bin' | '/usr/bin';
}

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export const BUSYBOX: UserlandFacts = { executables: BUSYBOX_APPLETS, workdir: '/', env: { PATH }, defaultCommand: ['sh'], bin: '/bin' };
export const ALPINE: UserlandFacts = { ...BUSYBOX, executables: [...BUSYBOX_APPLETS, 'getent', 'ldd', 'iconv', 'apk', 'scanelf'], defaultCommand: ['/bin/sh'], bin: '/usr/bin' };

export const NGINX: UserlandFacts = {
  executables: [...DEBIAN_BASE, 'nginx', 'nginx-debug', 'envsubst', 'curl', 'gpgv1', 'openssl'],
  workdir: '/',
  env: { PATH, NGINX_VERSION: '1.27.5', NJS_VERSION: '0.8.10', NJS_RELEASE: '1~bookworm', PKG_RELEASE: '1~bookworm', DYNPKG_RELEASE: '1~bookworm' },
  defaultCommand: ['nginx', '-g', 'daemon off;'],
  bin: '/usr/bin',
};

export const HTTPD: UserlandFacts = {
  executables: [...DEBIAN_BASE, 'httpd', 'apachectl', 'htpasswd', 'htdigest', 'ab', 'rotatelogs'],
  workdir: '/usr/local/apache2',
  env: { PATH: `/usr/local/apache2/bin:${PATH}`, HTTPD_PREFIX: '/usr/local/apache2', HTTPD_VERSION: '2.4.62' },
  defaultCommand: ['httpd-foreground'],
  bin: '/usr/bin',
};

/** takytaky/hostname: php:7.1-apache (Debian stretch) with an index.php printing gethostname(). */
export const PHP_APACHE: UserlandFacts = {
  executables: [...DEBIAN_BASE, 'apache2', 'apache2ctl', 'apachectl', 'a2enmod', 'a2dismod', 'a2ensite', 'a2dissite', 'php', 'php-config', 'phpize', 'pecl', 'pear',
    'docker-php-entrypoint', 'docker-php-ext-install', 'docker-php-ext-enable', 'docker-php-ext-configure', 'docker-php-source', 'apache2-foreground', 'curl', 'xz',
    'unxz', 'autoconf', 'gcc', 'g++', 'cc', 'make', 'file', 'pkg-config', 're2c'],
  workdir: '/var/www/html',
  env: { PATH, PHPIZE_DEPS: 'autoconf \t\tdpkg-dev \t\tfile \t\tg++ \t\tgcc \t\tlibc-dev \t\tmake \t\tpkg-config \t\tre2c', PHP_INI_DIR: '/usr/local/etc/php',
    APACHE_CONFDIR: '/etc/apache2', APACHE_ENVVARS: '/etc/apache2/envvars', PHP_VERSION: '7.1.11' },
  defaultCommand: ['apache2', '-DFOREGROUND'],
  bin: '/usr/bin',
};

export const AGNHOST: UserlandFacts = {
  ...ALPINE,
  executables: [...ALPINE.executables, 'bash', 'curl', 'dig', 'host', 'nslookup', 'delv', 'nsupdate', 'ip', 'ss', 'bridge', 'iperf', 'agnhost', 'agnhost-2'],
  bindTools: true,
  defaultCommand: ['/agnhost', 'pause'],
};
