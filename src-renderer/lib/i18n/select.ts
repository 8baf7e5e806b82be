/** Which language to show, and message formatting: pure, so Node tests can run it. */
export type Lang = 'en' | 'ko';
export const LANGS: Lang[] = ['en', 'ko'];

/** The first of the browser's preferred languages we have (`ko-KR` -> ko), else English. */
export function detectLang(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'ko') return 'ko';
    if (base === 'en') return 'en';
  }
  return 'en';
}

/** A saved choice wins over the browser's languages; anything else saved is ignored. */
export function chooseLang(saved: string | null | undefined, preferred: readonly string[]): Lang {
  if (saved === 'en' || saved === 'ko') return saved;
  return detectLang(preferred);
}

export function format(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** The message in `lang`, falling back to English for a key the table lacks. */
export function translate<K extends string>(
  tables: Record<Lang, Partial<Record<K, string>>>,
  lang: Lang,
  key: K,
  vars?: Record<string, string | number>,
): string {
  return format(tables[lang][key] ?? tables.en[key] ?? key, vars);
}
