/** UI strings in English and Korean: follows navigator.language until the user picks one (remembered locally). */
import { en, type MessageKey } from './en.ts';
import { ko } from './ko.ts';

export type Lang = 'en' | 'ko';
export const LANGS: Lang[] = ['en', 'ko'];
const TABLES: Record<Lang, Record<MessageKey, string>> = { en, ko };
const STORAGE_KEY = 'kubelab.lang';

export function detectLang(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'ko') return 'ko';
    if (base === 'en') return 'en';
  }
  return 'en';
}

export function format(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'ko') return saved;
  } catch {
    // storage may be unavailable
  }
  return detectLang(typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language]);
}

class I18n {
  lang = $state<Lang>(initialLang());

  set(lang: Lang): void {
    this.lang = lang;
    document.documentElement.lang = lang;
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // ignore
    }
  }
}

export const i18n = new I18n();

export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  return format(TABLES[i18n.lang][key] ?? en[key], vars);
}
