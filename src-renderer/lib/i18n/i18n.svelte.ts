/** UI strings in English and Korean: follows navigator.language until the user picks one (remembered locally). */
import { en, type MessageKey } from './en.ts';
import { ko } from './ko.ts';
import { chooseLang, type Lang, translate } from './select.ts';

export { detectLang, format, LANGS, type Lang } from './select.ts';

const TABLES: Record<Lang, Record<MessageKey, string>> = { en, ko };
const STORAGE_KEY = 'kubelab.lang';

function initialLang(): Lang {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(STORAGE_KEY);
  } catch {
    // storage may be unavailable
  }
  return chooseLang(saved, typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language]);
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
  return translate(TABLES, i18n.lang, key, vars);
}
