/** Registers the generic tools; cluster commands (kubectl, curl...) are added to the same registry by the host. */
import { CommandRegistry } from '../command.ts';
import { awk } from './awk.ts';
import { cat, cp, ls, mkdir, mv, rm, touch } from './files.ts';
import { grep } from './grep.ts';
import { jq } from './jq.ts';
import { date, seq, sleep, watch, xargs, yes } from './misc.ts';
import { sed } from './sed.ts';
import { shellCommand } from './sh.ts';
import { base64, cut, head, sort, tail, tee, tr, uniq, wc } from './text.ts';

export function registerGenericTools(registry: CommandRegistry = new CommandRegistry()): CommandRegistry {
  return registry
    .register('cat', cat, 'concatenate files and print on the standard output')
    .register('ls', ls, 'list directory contents')
    .register('mkdir', mkdir, 'make directories')
    .register('rm', rm, 'remove files or directories')
    .register('touch', touch, 'change file timestamps')
    .register('cp', cp, 'copy files and directories')
    .register('mv', mv, 'move (rename) files')
    .register('head', head, 'output the first part of files')
    .register('tail', tail, 'output the last part of files')
    .register('wc', wc, 'print newline, word, and byte counts')
    .register('grep', grep, 'print lines that match patterns')
    .register('sort', sort, 'sort lines of text files')
    .register('uniq', uniq, 'report or omit repeated lines')
    .register('cut', cut, 'remove sections from each line of files')
    .register('tr', tr, 'translate or delete characters')
    .register('sed', sed, 'stream editor for filtering and transforming text')
    .register('awk', awk, 'pattern scanning and processing language')
    .register('jq', jq, 'command-line JSON processor')
    .register('tee', tee, 'read from standard input and write to standard output and files')
    .register('base64', base64, 'base64 encode/decode data')
    .register('seq', seq, 'print a sequence of numbers')
    .register('sleep', sleep, 'delay for a specified amount of time')
    .register('date', date, 'print the system date and time')
    .register('yes', yes, 'output a string repeatedly until killed')
    .register('xargs', xargs, 'build and execute command lines from standard input')
    .register('watch', watch, 'execute a program periodically, showing output fullscreen')
    .register('bash', shellCommand, 'GNU Bourne-Again SHell (bash -c, bash FILE)')
    .register('sh', shellCommand, 'command interpreter (sh -c, sh FILE)');
}
