/**
 * Reads a lesson folder: index.json (Killercoda's fields), its Markdown pages and scripts, and the language files
 * beside them: `index.<lang>.json` overrides titles, texts and hints; `step1.<lang>.md` beside `step1.md` is that
 * page in <lang> without any index file. A plain Killercoda folder is a one-language lesson.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { isLanguage, LessonFormatError, parseHighlight, parsePlace, str, type HighlightRef, type RawIndex, type RawPage, type ScriptPlace } from './format.ts';

export interface Script {
  /** Path inside the lesson folder. */
  path: string;
  source: string;
  place: ScriptPlace;
}

/** Hints for a failed check: by the verify script's exit status, else the default. */
export interface Hints {
  default?: string;
  byStatus: Record<string, string>;
}

export interface PageText {
  title: string;
  /** Markdown source, with Killercoda's action markers. */
  markdown: string;
}

export interface StepText extends PageText {
  hints: Hints;
}

export interface LessonTexts {
  title: string;
  description: string;
  intro?: PageText;
  steps: StepText[];
  finish?: PageText;
}

export interface PageScripts {
  background?: Script;
  foreground?: Script;
}

export interface StepScripts extends PageScripts {
  verify?: Script;
  highlight: HighlightRef[];
}

/** A Killercoda asset: files under the lesson's `assets/` copied to a host before the intro runs. */
export interface Asset {
  host: string;
  /** Path under assets/ (each file once a `*` pattern is expanded). */
  file: string;
  content: string;
  target: string;
  chmod?: string;
}

export interface Lesson {
  id: string;
  dir: string;
  language: string;
  languages: string[];
  texts: Map<string, LessonTexts>;
  intro: PageScripts;
  steps: StepScripts[];
  finish: PageScripts;
  assets: Asset[];
  /** What kubelab does differently from Killercoda for this folder (shown by `kubelab lesson list -o wide`). */
  warnings: string[];
}

const MAX_FILE = 1024 * 1024;

/** A path inside the lesson folder (never outside it: a pack from a USB stick must not read the host's files). */
function inside(dir: string, rel: string, where: string): string {
  const full = resolve(dir, rel);
  if (full !== dir && !full.startsWith(dir + sep)) throw new LessonFormatError(`${where}: "${rel}" is outside the lesson folder`);
  return full;
}

function readText(dir: string, rel: string, where: string): string {
  const full = inside(dir, rel, where);
  let st;
  try {
    st = statSync(full);
  } catch {
    throw new LessonFormatError(`${where}: file "${rel}" not found`);
  }
  if (!st.isFile()) throw new LessonFormatError(`${where}: "${rel}" is not a file`);
  if (st.size > MAX_FILE) throw new LessonFormatError(`${where}: "${rel}" is larger than 1 MiB`);
  return readFileSync(full, 'utf8');
}

function readJson(dir: string, rel: string): RawIndex {
  const text = readText(dir, rel, rel);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new LessonFormatError(`${rel}: ${(e as Error).message}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new LessonFormatError(`${rel}: must be a JSON object`);
  return v as RawIndex;
}

/** `step1/text.md` -> `step1/text.ko.md`. */
export function languageVariant(rel: string, lang: string): string {
  const ext = extname(rel);
  return `${rel.slice(0, rel.length - ext.length)}.${lang}${ext}`;
}

function pagesOf(raw: RawIndex, file: string): { intro?: RawPage; steps: RawPage[]; finish?: RawPage } {
  const d = raw.details;
  if (d !== undefined && (typeof d !== 'object' || d === null)) throw new LessonFormatError(`${file}: details must be an object`);
  const steps = d?.steps ?? [];
  if (!Array.isArray(steps)) throw new LessonFormatError(`${file}: details.steps must be a list`);
  for (const [i, s] of steps.entries()) if (!s || typeof s !== 'object') throw new LessonFormatError(`${file}: details.steps[${i}] must be an object`);
  return { intro: d?.intro, steps: steps as RawPage[], finish: d?.finish };
}

/** Every language the folder has texts in: the base, `index.<lang>.json` files, `<page>.<lang>.md` files. */
function languagesIn(dir: string, base: string, textPaths: string[]): string[] {
  const found = new Set([base]);
  for (const f of readdirSync(dir)) {
    const m = /^index\.([^.]+)\.json$/.exec(f);
    if (m && isLanguage(m[1])) found.add(m[1]!);
  }
  for (const p of textPaths) {
    const folder = join(dir, dirname(p));
    const stem = basename(p, extname(p));
    if (!existsSync(folder)) continue;
    for (const f of readdirSync(folder)) {
      const m = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.([a-z]{2,3})${extname(p).replace('.', '\\.')}$`).exec(f);
      if (m) found.add(m[1]!);
    }
  }
  return [...found].sort((a, b) => (a === base ? -1 : b === base ? 1 : a.localeCompare(b)));
}

function hintsOf(dir: string, value: unknown, where: string, lang: string, isBase: boolean): Hints {
  const text = (v: unknown, w: string): string => {
    const s = str(v, w)!;
    if (!/^\S+\.md$/.test(s)) return s;
    return pageText(dir, s, w, lang, isBase);
  };
  if (value === undefined) return { byStatus: {} };
  if (typeof value === 'string') return { default: text(value, where), byStatus: {} };
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new LessonFormatError(`${where} must be a text, a .md file, or an object of texts by the verify script's exit status`);
  const out: Hints = { byStatus: {} };
  for (const [k, v] of Object.entries(value)) {
    if (k === 'default') out.default = text(v, `${where}.default`);
    else if (/^\d{1,3}$/.test(k)) out.byStatus[k] = text(v, `${where}.${k}`);
    else throw new LessonFormatError(`${where}: keys are exit statuses ("2") or "default", got "${k}"`);
  }
  return out;
}

/** A page's Markdown in `lang`: the language's own file when there is one, else the base file. */
function pageText(dir: string, rel: string, where: string, lang: string, isBase: boolean): string {
  if (!isBase) {
    const variant = languageVariant(rel, lang);
    if (existsSync(inside(dir, variant, where))) return readText(dir, variant, where);
  }
  return readText(dir, rel, where);
}

function scriptOf(dir: string, value: unknown, where: string, place: ScriptPlace): Script | undefined {
  const path = str(value, where);
  if (path === undefined) return undefined;
  return { path, source: readText(dir, path, where), place };
}

function assetsOf(dir: string, raw: RawIndex): Asset[] {
  const hosts = raw.details?.assets;
  if (hosts === undefined) return [];
  if (!hosts || typeof hosts !== 'object') throw new LessonFormatError('index.json: details.assets must be an object of hosts');
  const out: Asset[] = [];
  for (const [host, list] of Object.entries(hosts)) {
    if (!Array.isArray(list)) throw new LessonFormatError(`index.json: details.assets.${host} must be a list`);
    for (const [i, a] of (list as Array<Record<string, unknown>>).entries()) {
      const where = `index.json: details.assets.${host}[${i}]`;
      const file = str(a?.file, `${where}.file`, true)!;
      const target = str(a?.target, `${where}.target`, true)!;
      const chmod = str(a?.chmod, `${where}.chmod`);
      const root = inside(dir, 'assets', where);
      const files = file.includes('*') ? expand(root, file) : [file];
      for (const f of files) out.push({ host, file: f, content: readText(root, f, where), target, chmod });
    }
  }
  return out;
}

/** `*` (one path segment) and `**` patterns under `root`. */
function expand(root: string, pattern: string): string[] {
  if (!existsSync(root)) return [];
  const re = new RegExp(`^${pattern.split('/').map((seg) => (seg === '**' ? '.*' : seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))).join('/')}$`);
  return (readdirSync(root, { recursive: true }) as string[])
    .map((f) => f.split(sep).join('/'))
    .filter((f) => re.test(f) && statSync(join(root, f)).isFile())
    .sort();
}

export function isLessonDir(dir: string): boolean {
  return existsSync(join(dir, 'index.json'));
}

export function loadLesson(dirPath: string, id: string): Lesson {
  const dir = resolve(dirPath);
  if (!isLessonDir(dir)) throw new LessonFormatError(`${dirPath}: no index.json (a lesson is a folder in Killercoda's scenario format)`);
  const raw = readJson(dir, 'index.json');
  const base = raw.language === undefined ? 'en' : raw.language;
  if (!isLanguage(base)) throw new LessonFormatError('index.json: language must be a language code such as "en" or "ko"');
  const pages = pagesOf(raw, 'index.json');
  if (pages.steps.length === 0 && !pages.intro) throw new LessonFormatError('index.json: details.steps is empty');
  const defaultPlace = parsePlace(raw.shell, 'index.json', { kind: 'node', node: 'master' });
  const placeOf = (p: RawPage | undefined, where: string) => parsePlace(p?.shell, where, defaultPlace);

  const warnings: string[] = [];
  const image = raw.backend?.imageid;
  if (typeof image === 'string' && !/^kubernetes-/.test(image)) warnings.push(`backend.imageid "${image}": kubelab runs every lesson on its own 3-node cluster`);

  const introPlace = placeOf(pages.intro, 'details.intro');
  const intro: PageScripts = {
    background: scriptOf(dir, pages.intro?.background ?? pages.intro?.courseData, 'details.intro.background', introPlace),
    foreground: scriptOf(dir, pages.intro?.foreground, 'details.intro.foreground', introPlace),
  };
  const steps: StepScripts[] = pages.steps.map((s, i) => {
    const where = `details.steps[${i}]`;
    const place = placeOf(s, where);
    return {
      background: scriptOf(dir, s.background, `${where}.background`, place),
      foreground: scriptOf(dir, s.foreground, `${where}.foreground`, place),
      verify: scriptOf(dir, s.verify, `${where}.verify`, place),
      highlight: parseHighlight(s.highlight, where),
    };
  });
  const finishPlace = placeOf(pages.finish, 'details.finish');
  const finish: PageScripts = {
    background: scriptOf(dir, pages.finish?.background, 'details.finish.background', finishPlace),
    foreground: scriptOf(dir, pages.finish?.foreground, 'details.finish.foreground', finishPlace),
  };

  const textPaths = [pages.intro?.text, ...pages.steps.map((s) => s.text), pages.finish?.text].filter((t): t is string => typeof t === 'string');
  const languages = languagesIn(dir, base, textPaths);
  const texts = new Map<string, LessonTexts>();
  for (const lang of languages) {
    const isBase = lang === base;
    const overlayFile = `index.${lang}.json`;
    const overlay = !isBase && existsSync(join(dir, overlayFile)) ? readJson(dir, overlayFile) : undefined;
    const op = overlay ? pagesOf(overlay, overlayFile) : undefined;
    if (op && op.steps.length > pages.steps.length) throw new LessonFormatError(`${overlayFile}: has ${op.steps.length} steps, index.json ${pages.steps.length}`);
    const file = (o: unknown) => (o !== undefined ? overlayFile : 'index.json');
    const page = (b: RawPage | undefined, o: RawPage | undefined, where: string, fallbackTitle: string): PageText | undefined => {
      const text = o?.text ?? b?.text;
      if (text === undefined) return undefined;
      const src = str(text, `${file(o?.text)}: ${where}.text`)!;
      return {
        title: str(o?.title ?? b?.title, `${file(o?.title)}: ${where}.title`) ?? fallbackTitle,
        markdown: pageText(dir, src, `${file(o?.text)}: ${where}.text`, lang, isBase || o?.text !== undefined),
      };
    };
    const title = str(overlay?.title ?? raw.title, `${file(overlay?.title)}: title`) ?? basename(dir);
    texts.set(lang, {
      title,
      description: str(overlay?.description ?? raw.description, `${file(overlay?.description)}: description`) ?? '',
      intro: page(pages.intro, op?.intro, 'details.intro', title),
      steps: pages.steps.map((s, i) => {
        const o = op?.steps[i];
        const where = `details.steps[${i}]`;
        const p = page(s, o, where, `Step ${i + 1}`);
        if (!p) throw new LessonFormatError(`index.json: ${where}.text is required`);
        return { ...p, hints: hintsOf(dir, o?.hint ?? s.hint, `${file(o?.hint)}: ${where}.hint`, lang, isBase || o?.hint !== undefined) };
      }),
      finish: page(pages.finish, op?.finish, 'details.finish', 'Finish'),
    });
  }
  return { id, dir, language: base, languages, texts, intro, steps, finish, assets: assetsOf(dir, raw), warnings };
}

/** The texts in `lang`, its base language (`ko-KR` -> `ko`), or the lesson's own language. */
export function textsFor(lesson: Lesson, lang: string | undefined): { language: string; texts: LessonTexts } {
  const want = lang && lesson.texts.has(lang) ? lang : lang && lesson.texts.has(lang.split('-')[0]!) ? lang.split('-')[0]! : lesson.language;
  return { language: want, texts: lesson.texts.get(want)! };
}

/** For error messages: a path relative to where the user is, when shorter. */
export function shortPath(p: string): string {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') && r.length < p.length ? r : p;
}
