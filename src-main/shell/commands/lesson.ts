/** `kubelab lesson ...` in the cluster shell: the lesson engine's controls (the outside CLI runs the same command). */
import { parseArgs } from 'node:util';
import type { CommandContext } from '../../userland/command.ts';
import type { LessonControls } from '../../lessons/engine.ts';
import { checkText, listText, pageText, startText, stateText } from '../../lessons/text.ts';

export const LESSON_USAGE = `Lessons: a teacher inside the lab.

Usage:
  kubelab lesson list [-o wide|json]
  kubelab lesson start ID|NUMBER|PATH     start a lesson from its beginning (resets the cluster)
  kubelab lesson status [-o json]         the current step and its text
  kubelab lesson check [-q] [-o json]     run the step's check: exit 0 and go on, or exit 1 with a hint
  kubelab lesson next | previous          move between the steps reached
  kubelab lesson step [N]                 print step N's text (0: the intro)
  kubelab lesson reset                    start the current lesson again (resets the cluster)
  kubelab lesson import PACK              add a lesson pack (a folder or a .zip of lesson folders)
  kubelab lesson progress [--export FILE|-] [--name NAME]
  kubelab lesson lang [en|ko]             the language of lesson texts

Flags:
      --lang LANG    the language of the texts (remembered)
`;

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  lang: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  export: { type: 'string' },
  name: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function lessonCommand(ctx: CommandContext, lessons: LessonControls | undefined, argv: string[]): Promise<number> {
  const err = async (msg: string, code = 1) => (await ctx.stderr.write(`${msg}\n`), code);
  if (!lessons) return err('kubelab lesson: lessons are not available in this shell');
  let values: { output?: string; lang?: string; quiet?: boolean; export?: string; name?: string; help?: boolean };
  let pos: string[];
  try {
    ({ values, positionals: pos } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
  } catch (e) {
    return err(`error: ${(e as Error).message.replace(/^Unknown option '(.*)'$/, 'unknown flag: $1').replace(/\. To specify a positional.*$/s, '')}\nSee 'kubelab lesson --help' for usage.`, 2);
  }
  const [verb, ...rest] = pos;
  const out = (s: string) => ctx.stdout.write(s);
  const json = values.output === 'json';
  if (values.output !== undefined && values.output !== 'json' && values.output !== 'wide') return err(`error: unable to match a printer suitable for the output format "${values.output}", allowed formats are: json,wide`);
  const lang = values.lang;
  if (values.help || !verb || verb === 'help') return (await out(LESSON_USAGE), values.help || verb === 'help' ? 0 : 2);
  try {
    switch (verb) {
      case 'list': {
        const rows = lessons.list(lang);
        await out(json ? `${JSON.stringify(rows, null, 2)}\n` : listText(rows, values.output === 'wide'));
        return 0;
      }
      case 'start': {
        if (!rest[0]) return err("error: kubelab lesson start needs a lesson: an ID from 'kubelab lesson list', its number, or a folder");
        const r = await lessons.start(rest[0], { lang });
        const intro = lessons.page(0);
        await out(json ? `${JSON.stringify(r, null, 2)}\n` : startText(r, intro.kind === 'intro' ? intro : null));
        return 0;
      }
      case 'status': {
        const s = lessons.status(lang);
        if (json) return (await out(`${JSON.stringify(s, null, 2)}\n`), 0);
        if (!s) return (await out("No lesson is running. 'kubelab lesson list' shows the lessons, 'kubelab lesson start 1' starts the first.\n"), 0);
        await out(stateText(s));
        return 0;
      }
      case 'check': {
        const before = lessons.status(lang);
        const r = await lessons.check(lang);
        if (!values.quiet) await out(json ? `${JSON.stringify(r, null, 2)}\n` : checkText(r, before?.page.title ?? ''));
        return r.passed ? 0 : 1;
      }
      case 'next':
      case 'previous': {
        const s = verb === 'next' ? await lessons.next(lang) : await lessons.previous(lang);
        await out(json ? `${JSON.stringify(s, null, 2)}\n` : stateText(s));
        return 0;
      }
      case 'step': {
        const n = rest[0] === undefined ? undefined : Number(rest[0]);
        if (n !== undefined && !Number.isInteger(n)) return err(`error: invalid step "${rest[0]}": want a number`);
        const p = lessons.page(n, lang);
        const total = lessons.status(lang)?.total ?? 0;
        await out(json ? `${JSON.stringify(p, null, 2)}\n` : pageText(p, total));
        return 0;
      }
      case 'reset': {
        const r = await lessons.reset({ lang });
        await out(json ? `${JSON.stringify(r, null, 2)}\n` : startText(r, null));
        return 0;
      }
      case 'import': {
        if (!rest[0]) return err('error: kubelab lesson import needs a lesson pack: a folder or a .zip file');
        const rows = lessons.importPack(rest[0], lang);
        await out(json ? `${JSON.stringify(rows, null, 2)}\n` : rows.map((r) => `lesson/${r.id} imported\n`).join(''));
        return 0;
      }
      case 'progress': {
        const p = lessons.exportProgress(values.name);
        const text = `${JSON.stringify(p, null, 2)}\n`;
        if (values.export === undefined || values.export === '-') return (await out(text), 0);
        const path = ctx.fs.resolve(ctx.cwd, values.export);
        ctx.fs.writeFile(path, text);
        await out(`progress of ${p.lessons.length} lesson${p.lessons.length === 1 ? '' : 's'} written to ${values.export}\n`);
        return 0;
      }
      case 'lang': {
        if (rest[0]) lessons.setLanguage(rest[0]);
        await out(`${lessons.language()}\n`);
        return 0;
      }
      default:
        return err(`error: unknown command "${verb}" for "kubelab lesson"\nSee 'kubelab lesson --help' for usage.`, 2);
    }
  } catch (e) {
    return err(`kubelab lesson: ${(e as Error).message}`);
  }
}
